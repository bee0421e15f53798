export { createApp } from './app.js';
export { start } from './start.js';

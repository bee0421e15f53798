export { buildApp } from './app.js';
export { start } from './start.js';

export { createApp, createEnvApp } from './app.js';
export { type AppConfig, type ConfigEnv, loadConfig, verifierOptions } from './config.js';
export { start } from './node.js';

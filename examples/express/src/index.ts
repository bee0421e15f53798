export { type AppConfig, createApiRouter, createApp } from './app.js';
export { configFromEnv, DEMO_SECRET, type ExampleConfig } from './config.js';
export { demoToken } from './demo-token.js';

export { type AppConfig, buildApp } from './app.js';
export { configFromEnv, DEMO_SECRET, type ExampleConfig } from './config.js';
export { demoToken } from './demo-token.js';

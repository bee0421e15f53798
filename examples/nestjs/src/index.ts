export { AppModule } from './app.module.js';
export { loadNestConfig, type NestExampleConfig } from './config.js';
export { bootstrap, type NestStartOptions, start } from './main.js';

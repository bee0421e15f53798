// Cloudflare Workers entry (wrangler.toml): configuration from bindings ([vars] or secrets).
import { createEnvApp } from './app.js';

export default createEnvApp();

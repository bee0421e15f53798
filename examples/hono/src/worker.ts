// Cloudflare Workers entry (wrangler.toml): a resource server configured from bindings.
import { createEdgeApp } from './edge.js';

export default createEdgeApp();

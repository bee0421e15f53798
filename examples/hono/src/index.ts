export { createApp } from './app.js';
export { createEdgeApp, type EdgeBindings, edgeVerifierOptions } from './edge.js';
export { start } from './node.js';

// The runtime side on workerd: one JSON request per POST, the reply as the response body. The
// module's state (the built verifiers) lives as long as the isolate, which Miniflare keeps.
import { createSuiteHandler } from './suite.js';
import type { SuiteRequest } from './wire.js';

const handle = createSuiteHandler();

export default {
  async fetch(request: Request): Promise<Response> {
    const reply = await handle((await request.json()) as SuiteRequest);
    return Response.json(reply);
  },
};

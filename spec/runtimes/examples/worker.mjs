import { computeAcceptKey } from 'websocket-server';

export default {
  fetch: (request) => new Response(computeAcceptKey(request.headers.get('sec-websocket-key') ?? '')),
};

import { computeAcceptKey, MessageReader } from 'websocket-server';

export default {
  async fetch(request) {
    const reader = new MessageReader({ role: 'server' }); // frames from a client are masked
    const [message] = reader.push(new Uint8Array(await request.arrayBuffer()));
    const key = request.headers.get('sec-websocket-key') ?? '';
    return new Response(`${computeAcceptKey(key)} ${message?.type === 'text' ? message.data : ''}`);
  },
};

// workerd test handler for the worker example: one request with the RFC 6455
// section 1.3 key and, as its body, the masked "Hello" frame of section 5.7;
// the response body is printed for the runner to compare.
const HELLO = new Uint8Array([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);

export default {
  async test(_controller, env) {
    const response = await env.EXAMPLE.fetch('http://example/', { method: 'POST', body: HELLO, headers: { 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    console.log('@@output ' + (await response.text()));
  },
};

// workerd test handler for the worker example: one request with the RFC 6455
// section 1.3 key; the body is printed for the runner to compare.
export default {
  async test(_controller, env) {
    const response = await env.EXAMPLE.fetch('http://example/', { headers: { 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    console.log('@@output ' + (await response.text()));
  },
};

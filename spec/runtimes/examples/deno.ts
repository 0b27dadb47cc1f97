import { computeAcceptKey, encodeTextFrame, MessageReader } from 'websocket-server';

const reader = new MessageReader({ role: 'client' }); // the client role reads unmasked server frames
const [message] = reader.push(encodeTextFrame('hello'));
if (message?.type === 'text') console.log(computeAcceptKey('dGhlIHNhbXBsZSBub25jZQ=='), message.data); // s3pPLMBiTxaQ9kYGzzhZRbK+xOo= hello

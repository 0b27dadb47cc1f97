// Browser compatible. The base64 alphabet, shared by the codec and the accept key.

/** RFC 4648 §4, Table 1: the standard alphabet. */
export const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

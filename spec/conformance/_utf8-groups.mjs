// The UTF-8 sequences of sections 6.5-6.23 of Autobahn|Testsuite (Markus
// Kuhn's decoder stress test, in Autobahn's groups and order), shared by the
// server suite (_cases-utf8.mjs) and the client suite (client/_cases-utf8.mjs).
// Each group: [title, payloads as Buffers]; validity is decided by the cases
// (firstInvalidByte in _expect.mjs), not here.

const hex = (s) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
export const KOSME = hex('ce ba e1 bd b9 cf 83 ce bc ce b5'); // κόσμε

export const UTF8_GROUPS = [];
const group = (title, list) => UTF8_GROUPS.push([title, list.map((x) => (Buffer.isBuffer(x) ? x : hex(x)))]);
group('Valid UTF-8', [Buffer.from('hello$world'), Buffer.from('hello¢world'), Buffer.from('hello€world'), Buffer.from('hello𤭢world'), KOSME]);
group('A prefix of κόσμε', Array.from({ length: KOSME.length }, (_, i) => KOSME.subarray(0, i + 1)));
group('First possible sequence of a length', ['00', 'c2 80', 'e0 a0 80', 'f0 90 80 80']);
group('First possible sequence of length 5/6', ['f8 88 80 80 80', 'fc 84 80 80 80 80']);
group('Last possible sequence of a length', ['7f', 'df bf', 'ef bf bf', 'f4 8f bf bf']);
group('Last possible sequence of length 4/5/6', ['f7 bf bf bf', 'fb bf bf bf bf', 'fd bf bf bf bf bf']);
group('Other boundary', ['ed 9f bf', 'ee 80 80', 'ef bf bd', 'f4 8f bf bf', 'f4 90 80 80']);
const continuation = Buffer.from(Array.from({ length: 0xbf - 0x80 }, (_, i) => 0x80 + i));
group('Unexpected continuation bytes', ['80', 'bf', '80 bf', '80 bf 80', '80 bf 80 bf', '80 bf 80 bf 80', '80 bf 80 bf 80 bf', continuation]);
group('Lonely start bytes, each followed by a space', [[0xc0, 0xdf], [0xe0, 0xef], [0xf0, 0xf7], [0xf8, 0xfb], [0xfc, 0xfd]].map(([a, b]) => Buffer.from(Array.from({ length: b - a }, (_, i) => [a + i, 0x20]).flat())));
const missingLast = ['c0', 'e0 80', 'f0 80 80', 'f8 80 80 80', 'fc 80 80 80 80', 'df', 'ef bf', 'f7 bf bf', 'fb bf bf bf', 'fd bf bf bf bf'];
group('Last continuation byte missing', missingLast);
group('Concatenated incomplete sequences', [hex(missingLast.join(''))]);
group('Impossible bytes', ['fe', 'ff', 'fe fe ff ff']);
group('Overlong ASCII', ['c0 af', 'e0 80 af', 'f0 80 80 af', 'f8 80 80 80 af', 'fc 80 80 80 80 af']);
group('Maximum overlong sequence', ['c1 bf', 'e0 9f bf', 'f0 8f bf bf', 'f8 87 bf bf bf', 'fc 83 bf bf bf bf']);
group('Overlong NUL', ['c0 80', 'e0 80 80', 'f0 80 80 80', 'f8 80 80 80 80', 'fc 80 80 80 80 80']);
group('Single UTF-16 surrogate', ['ed a0 80', 'ed ad bf', 'ed ae 80', 'ed af bf', 'ed b0 80', 'ed be 80', 'ed bf bf']);
const high = ['ed a0 80', 'ed ad bf', 'ed ae 80', 'ed af bf'];
const low = ['ed b0 80', 'ed bf bf'];
group('Paired UTF-16 surrogates', high.flatMap((h) => low.map((l) => `${h} ${l}`)));
// Noncharacters are valid UTF-8 (RFC 3629; Unicode Corrigendum #9): U+FFFE, U+FFFF and U+nFFFE/U+nFFFF of planes 1-16.
const nonchars = ['ef bf be', 'ef bf bf'];
for (let plane = 1; plane <= 16; plane++) {
  for (const last of [0xfffe, 0xffff]) nonchars.push(Buffer.from(String.fromCodePoint(plane * 0x10000 + last)));
}
group('Noncharacter', nonchars);
group('Unicode special', ['ef bf b9', 'ef bf ba', 'ef bf bb', 'ef bf bc', 'ef bf bd', 'ef bf be', 'ef bf bf']);

import { describe, expect, it } from 'vitest';
import { registerSecret } from '../log';
import { redactSecrets } from './secret-redaction';

describe('redactSecrets', () => {
  it.each([
    ['invalid api key sk-proj-AbCdEf0123456789GhIj for user', 'invalid api key [redacted] for user'],
    ['Authorization: Bearer abc.def.ghi', 'Authorization: Bearer [redacted]'],
    ['Authorization: raw-key-123', 'Authorization: [redacted]'],
    ['x-goog-api-key: AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW', 'x-goog-api-key: [redacted]'],
    ['bad key AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW', 'bad key [redacted]'],
    ['token r8_AbCdEf0123456789GhIjKlMn rejected', 'token [redacted] rejected'],
    ['fal 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b:0123456789abcdef0123456789abcdef denied', 'fal [redacted] denied'],
    ['GET /x?key=AIzaShort&alt=json', 'GET /x?key=[redacted]&alt=json'],
    ['secret 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 leaked', 'secret [redacted] leaked'],
    ['blob QWxhZGRpbjpvcGVuIHNlc2FtZQ0123456789abcdefXYZ== here', 'blob [redacted] here'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsb2NhbCJ9.c2lnbmF0dXJl', 'jwt [redacted]'],
  ])('%s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it.each([
    'content policy: video_68f0a1b2c3d4 rejected',
    'see https://cdn.example.test/AbCdEf0123456789GhIjKlMnOpQr/video.mp4',
    'job vid_0123456789abcdef0123456789abcdef failed (a-calico-cat-playing-a-piano-on-stage-at-night)',
    'api key missing; Key rotation in progress',
    'uuid 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b not found',
  ])('leaves ordinary words: %s', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('takes out a key it was given and every registered key, whatever their shape', () => {
    registerSecret('plain-words-as-a-key');
    expect(redactSecrets('a plain-words-as-a-key and my-own-key here', ['my-own-key'])).toBe('a [redacted] and [redacted] here');
  });

  it('cuts a page of text to a bounded length', () => {
    const out = redactSecrets('x'.repeat(100_000));
    expect(out.length).toBeLessThan(2100);
  });
});

// Share by URL: the files, as JSON, deflated and base64url-encoded in the hash.
const PREFIX = '#files=';

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export async function encodeFiles(files) {
  const json = new TextEncoder().encode(JSON.stringify(files));
  return PREFIX + toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

/** The files in a hash made by encodeFiles, or null when the hash holds none. Throws on a damaged hash. */
export async function decodeFiles(hash) {
  if (!hash.startsWith(PREFIX)) return null;
  const json = await pipe(fromBase64Url(hash.slice(PREFIX.length)), new DecompressionStream('deflate-raw'));
  const files = JSON.parse(new TextDecoder().decode(json));
  if (typeof files !== 'object' || files === null || Array.isArray(files) || !Object.values(files).every((t) => typeof t === 'string')) {
    throw new Error('the link does not hold a set of files');
  }
  return files;
}

import { Duplex } from 'node:stream';

/**
 * Default largest MQTT packet (its remaining length) the embedded broker accepts. A device request
 * is a JWS of a body the size of an HTTP request (64 KiB by default), about 90 KiB in base64url;
 * an event is an intent with its token. Anything larger is not a device speaking the contract.
 */
export const DEFAULT_MAX_PACKET_BYTES = 256 * 1024;

/**
 * Wraps a client connection so that the broker never buffers a packet larger than `maxBytes`.
 *
 * The MQTT parser (mqtt-packet) keeps every byte of a packet until the packet is whole, before the
 * client is even authenticated, and has no size limit of its own: a CONNECT announcing 256 MiB is
 * buffered to the end. This reads each packet's fixed header as the bytes pass and, as soon as a
 * remaining length is over the limit, destroys the connection and calls `onTooLarge`, so that at
 * most the bytes already in flight are ever held.
 */
export function limitPacketSize(inner: Duplex, maxBytes: number, onTooLarge: (announced: number) => void): Duplex {
  const scan = packetScanner(maxBytes);
  let outer: Duplex;
  const onData = (chunk: Buffer) => {
    const tooLarge = scan(chunk);
    if (tooLarge !== null) {
      inner.off('data', onData);
      onTooLarge(tooLarge);
      outer.destroy();
      return;
    }
    if (!outer.push(chunk)) inner.pause();
  };
  outer = new Duplex({
    read() {
      inner.resume();
    },
    write(chunk, encoding, callback) {
      inner.write(chunk, encoding, callback);
    },
    final(callback) {
      inner.end(callback);
    },
    destroy(error, callback) {
      inner.destroy();
      callback(error);
    },
  });
  inner.on('data', onData);
  inner.once('end', () => outer.push(null));
  inner.on('error', (error) => outer.destroy(error));
  inner.once('close', () => outer.destroy());
  return outer;
}

/**
 * Follows MQTT framing (one header byte, a 1-4 byte variable-length remaining length, then that many
 * bytes) across chunks. Returns the announced length of the first packet over `maxBytes`, or null.
 * A length field longer than four bytes is malformed and is reported as too large.
 */
function packetScanner(maxBytes: number): (chunk: Buffer) => number | null {
  let state: 'header' | 'length' | 'body' = 'header';
  let length = 0;
  let multiplier = 1;
  let lengthBytes = 0;
  let remaining = 0;
  return (chunk) => {
    let i = 0;
    while (i < chunk.length) {
      if (state === 'header') {
        i++;
        state = 'length';
        length = 0;
        multiplier = 1;
        lengthBytes = 0;
      } else if (state === 'length') {
        const byte = chunk[i++]!;
        length += (byte & 0x7f) * multiplier;
        lengthBytes++;
        if (length > maxBytes || (byte & 0x80 && lengthBytes >= 4)) return length;
        if (byte & 0x80) multiplier *= 128;
        else if (length === 0) state = 'header';
        else {
          remaining = length;
          state = 'body';
        }
      } else {
        const take = Math.min(remaining, chunk.length - i);
        i += take;
        remaining -= take;
        if (remaining === 0) state = 'header';
      }
    }
    return null;
  };
}

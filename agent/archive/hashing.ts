import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { crc32 } from "node:zlib";

/** A pass-through that hashes and counts what flows through it. */
export class Digest extends Transform {
  private readonly hash = createHash("sha256");
  private crc = 0;
  bytes = 0;

  constructor(
    private readonly onChunk?: (bytes: number) => void,
    private readonly withCrc = false,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    if (this.withCrc) this.crc = crc32(chunk, this.crc);
    this.bytes += chunk.length;
    this.onChunk?.(chunk.length);
    done(null, chunk);
  }

  /** Hex SHA-256 of everything seen; call once, after the stream ended. */
  sha256(): string {
    return this.hash.digest("hex");
  }

  /** CRC-32 as zip stores it (unsigned). */
  crc32(): number {
    return this.crc >>> 0;
  }
}

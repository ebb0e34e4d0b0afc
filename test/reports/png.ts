/** The 8-byte signature every PNG file starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Reads width and height from a PNG's IHDR chunk. Throws when the bytes are not a PNG. */
export const pngSize = (png: Buffer): { width: number; height: number } => {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error("not a PNG: signature mismatch")
  if (png.toString("latin1", 12, 16) !== "IHDR") throw new Error("not a PNG: first chunk is not IHDR")
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

// Draws media/icon.png (128x128 marketplace icon) without any image library: a checklist on a
// dark tile, written as a PNG with node's zlib. Run: node scripts/ext/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const W = 128;
const px = Buffer.alloc(W * W * 4);
const set = (x, y, [r, g, b, a]) => {
  if (x < 0 || y < 0 || x >= W || y >= W) return;
  const i = (y * W + x) * 4;
  px[i] = r; px[i + 1] = g; px[i + 2] = b; px[i + 3] = a;
};
const rect = (x0, y0, w, h, c) => { for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) set(x, y, c); };
const tile = [30, 42, 56, 255];
const green = [76, 195, 120, 255];
const blue = [86, 156, 214, 255];
const grey = [150, 160, 172, 255];
const white = [230, 236, 242, 255];
// Rounded tile.
for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) {
  const r = 22;
  const cx = x < r ? r : x >= W - r ? W - r - 1 : x;
  const cy = y < r ? r : y >= W - r ? W - r - 1 : y;
  if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) set(x, y, tile);
}
const line = (x0, y0, x1, y1, c, t = 5) => {
  const n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
  for (let i = 0; i <= n; i++) rect(Math.round(x0 + ((x1 - x0) * i) / n) - (t >> 1), Math.round(y0 + ((y1 - y0) * i) / n) - (t >> 1), t, t, c);
};
// Two ticked rows, one in progress, one pending; a barrier bar on the right.
line(22, 30, 28, 36, green); line(28, 36, 38, 24, green); rect(48, 28, 46, 6, white);
line(22, 56, 28, 62, green); line(28, 62, 38, 50, green); rect(48, 54, 46, 6, white);
rect(22, 76, 16, 16, blue); rect(26, 80, 8, 8, tile); rect(48, 81, 40, 6, white);
rect(22, 100, 16, 4, grey); rect(48, 100, 30, 4, grey);
rect(104, 20, 6, 88, blue);

const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(W, 0); ihdr.writeUInt32BE(W, 4); ihdr[8] = 8; ihdr[9] = 6;
const raw = Buffer.alloc(W * (W * 4 + 1));
for (let y = 0; y < W; y++) px.copy(raw, y * (W * 4 + 1) + 1, y * W * 4, (y + 1) * W * 4);
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('../../media/icon.png', import.meta.url), png);

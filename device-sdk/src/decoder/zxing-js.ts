/** @zxing/library (the Java zxing ported to TypeScript): the baseline decoder, selectable when WebAssembly is not an option. */
import { BinaryBitmap, DecodeHintType, Exception, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
import { boundingRegion, type DecodedCode, type QrDecoder } from './decoder.ts';
import { checkFrame, type Frame, greyPixels, type Region, whole } from './frame.ts';
import { clampRegion } from './regions.ts';

export interface ZxingJsDecoderOptions {
  /** Look harder at skewed, blurred and low-contrast codes; default true (as zxing's own black-box tests). */
  tryHarder?: boolean;
}

/** A decoder on @zxing/library; it finds at most one code a frame. */
export function createZxingJsDecoder(options: ZxingJsDecoderOptions = {}): QrDecoder {
  const reader = new QRCodeReader();
  const hints = new Map<DecodeHintType, unknown>();
  if (options.tryHarder ?? true) hints.set(DecodeHintType.TRY_HARDER, true);
  return {
    name: 'zxing-js',
    async decode(frame: Frame, region?: Region): Promise<DecodedCode[]> {
      checkFrame(frame);
      const area = region === undefined ? whole(frame) : clampRegion(region, frame.width, frame.height);
      if (area === undefined) return [];
      // RGBLuminanceSource reads a Uint8ClampedArray as one luminance byte a pixel, so RGBA must be made grey first.
      const source = new RGBLuminanceSource(greyPixels(frame, area), area.width, area.height);
      try {
        const result = reader.decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
        const points = result.getResultPoints().map((p) => ({ x: p.getX(), y: p.getY() }));
        return [{ text: result.getText(), region: boundingRegion(points, area) }];
      } catch (error) {
        // The library signals "no readable code" (not found, checksum, format, and stumbles on odd images) with its own exceptions.
        if (error instanceof Exception) return [];
        throw error;
      }
    },
  };
}

// What a catalog entry allows, as pure functions: the core checks a creation with them before
// anything is sent, and the composer offers only what they allow.
import type { AllowedSeconds, ModelEntry } from './model';

export interface Size {
  width: number;
  height: number;
}

export function parseSize(size: string): Size | null {
  const m = /^(\d{2,5})x(\d{2,5})$/.exec(size);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
}

const NAMED_RATIOS: Array<[string, number]> = [
  ['16:9', 16 / 9], ['9:16', 9 / 16], ['1:1', 1], ['4:3', 4 / 3], ['3:4', 3 / 4],
  ['3:2', 3 / 2], ['2:3', 2 / 3], ['21:9', 21 / 9], ['9:21', 9 / 21],
];

/** "1280x720" -> "16:9"; a ratio within 3 % of a usual one takes its name (1366x768 is 16:9). */
export function aspectRatioOf(size: string): string | null {
  const s = parseSize(size);
  if (!s) return null;
  const ratio = s.width / s.height;
  for (const [name, value] of NAMED_RATIOS) if (Math.abs(ratio - value) / value < 0.03) return name;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const d = gcd(s.width, s.height);
  return `${s.width / d}:${s.height / d}`;
}

/** "1920x1080" -> "1080p"; the short side names it, 2160 is "4k". */
export function resolutionOf(size: string): string | null {
  const s = parseSize(size);
  if (!s) return null;
  const short = Math.min(s.width, s.height);
  return short === 2160 ? '4k' : `${short}p`;
}

export function isRange(allowed: AllowedSeconds): allowed is { min: number; max: number } {
  return !Array.isArray(allowed);
}

/** An empty list knows nothing, so it allows anything. */
export function secondsAllowed(allowed: AllowedSeconds, seconds: number): boolean {
  if (isRange(allowed)) return seconds >= allowed.min && seconds <= allowed.max;
  return allowed.length === 0 || allowed.includes(seconds);
}

/** Every allowed whole second, for a picker (a range is spelled out). Empty: not known. */
export function secondsChoices(allowed: AllowedSeconds): number[] {
  if (!isRange(allowed)) return [...allowed].sort((a, b) => a - b);
  const out: number[] = [];
  for (let s = allowed.min; s <= allowed.max && out.length < 600; s++) out.push(s);
  return out;
}

export function describeSeconds(allowed: AllowedSeconds): string {
  if (isRange(allowed)) return `${allowed.min} to ${allowed.max} s`;
  return `${secondsChoices(allowed).join(', ')} s`;
}

/** The durations the model allows at this size (a size may allow fewer than the model does). */
export function secondsFor(entry: ModelEntry, size: string | null): AllowedSeconds {
  if (size) {
    const rule = entry.secondsBySize?.find((r) => r.sizes.includes(size));
    if (rule) return rule.seconds;
  }
  return entry.seconds;
}

/** The sizes the model allows for this duration. Empty: not known. */
export function sizesFor(entry: ModelEntry, seconds: number | null): string[] {
  if (seconds == null) return [...entry.sizes];
  return entry.sizes.filter((size) => secondsAllowed(secondsFor(entry, size), seconds));
}

export interface CreationRequest {
  seconds: number | null;
  size: string | null;
  hasImage: boolean;
}

/** What is wrong with a creation for this model, each naming the allowed values; empty when none. */
export function creationProblems(entry: ModelEntry, req: CreationRequest): string[] {
  const problems: string[] = [];
  const name = `${entry.label} (${entry.id})`;
  if (req.size != null && entry.sizes.length > 0 && !entry.sizes.includes(req.size)) {
    problems.push(`size ${req.size} is not offered by ${name}; allowed: ${entry.sizes.join(', ')}`);
  }
  if (req.seconds != null) {
    const sizeKnown = req.size != null && entry.sizes.includes(req.size);
    const allowed = sizeKnown ? secondsFor(entry, req.size) : entry.seconds;
    if (!secondsAllowed(allowed, req.seconds)) {
      const at = sizeKnown && allowed !== entry.seconds ? ` at ${req.size}` : '';
      problems.push(`${req.seconds} s is not offered by ${name}${at}; allowed: ${describeSeconds(allowed)}`);
    }
  }
  if (req.hasImage && !entry.kinds.includes('image-to-video')) {
    problems.push(`${name} does not take a reference image (it is ${entry.kinds.join(', ')})`);
  }
  if (!req.hasImage && !entry.kinds.includes('text-to-video')) {
    problems.push(`${name} needs a reference image (it is ${entry.kinds.join(', ')})`);
  }
  return problems;
}

/** The price of a second at this size; null when the catalog does not know it. */
export function pricePerSecondFor(entry: ModelEntry, size: string | null): number | null {
  const resolution = size ? resolutionOf(size) : null;
  if (resolution && entry.priceByResolution?.[resolution] != null) return entry.priceByResolution[resolution];
  return entry.pricePerSecond;
}

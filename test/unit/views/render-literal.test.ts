// The webview's pure render helpers against literal values worked out by hand (ramp entries from the stops by linear
// interpolation, WCAG luminances, popup positions from the gaps): number formats, popup placement, colour scales and
// readable colours. Written for mutation testing (bench/mutation/README.md); no DOM needed.
import { describe, expect, it } from 'vitest';
import {
  colourOf, cssGradient, differenceDomain, divergingDomain, LUT_SIZE, luminance, lutIndex, MASKED_PACKED, MASKED_RGB, matrixDomain, packedTable, rgbCss, rgbHex,
  sequentialDomain, textOn,
} from '../../../webview/render/colour-scale';
import { contrastRatio, parseColour, readableOn } from '../../../webview/render/contrast';
import { fmt, fmtShort, fmtWeight, tokenLabel } from '../../../webview/render/format';
import { placePopup } from '../../../webview/render/place-popup';
import { fromRows } from '../../../src/core/matrix';

describe('format', () => {
  it('fmt: fixed decimals, −∞/∞/NaN spelled out, no negative zero', () => {
    expect([fmt(-Infinity), fmt(Infinity), fmt(Number.NaN)]).toEqual(['-∞', '∞', 'NaN']);
    expect([fmt(1.23456), fmt(-0.5, 2), fmt(-0.00001), fmt(-0), fmt(-0.4, 0), fmt(-0.6, 0), fmt(-0.001, 2)]).toEqual(['1.2346', '-0.50', '0.0000', '0.0000', '0', '-1', '0.00']);
  });

  it('fmtShort: exponent at 1000 and more, or below 0.01; 0, 1 or 2 decimals by size', () => {
    expect([Infinity, -Infinity, Number.NaN].map(fmtShort)).toEqual(['∞', '-∞', 'NaN']);
    expect([0, 1000, 999, 100, 99.96, 10, 9.999, 0.01, 0.00999, -0.005, -12.34, -1234].map(fmtShort))
      .toEqual(['0.00', '1.0e+3', '999', '100', '100.0', '10.0', '10.00', '0.01', '1.0e-2', '-5.0e-3', '-12.3', '-1.2e+3']);
  });

  it('fmtWeight: two decimals, two significant digits below 0.01', () => {
    expect([0.5, 0.01, 0, 0.0012, 0.00999, 1].map(fmtWeight)).toEqual(['0.50', '0.01', '0.00', '0.0012', '0.010', '1.00']);
  });

  it('tokenLabel: shown whitespace, cut to `max` characters with an ellipsis', () => {
    expect(tokenLabel('abcdefghijklmn')).toBe('abcdefghijklmn');
    expect(tokenLabel('abcdefghijklmno')).toBe('abcdefghijklm…');
    expect(tokenLabel('abcdef', 4)).toBe('abc…');
    expect(tokenLabel(' x\n')).toBe('␣x⏎');
  });
});

describe('placePopup (viewport 1000 × 800, gap 8, edge 4)', () => {
  const view = { width: 1000, height: 800 };
  const size = { width: 200, height: 100 };
  const at = (left: number, top: number, width = 20, height = 10) => ({ left, top, width, height });

  it('right of the anchor when it fits, exactly up to the edge', () => {
    expect(placePopup(at(100, 100), size, view)).toEqual({ x: 128, y: 100 });
    expect(placePopup(at(100, 100), { width: 868, height: 100 }, view)).toEqual({ x: 128, y: 100 });
    expect(placePopup(at(100, 100), { width: 869, height: 100 }, view)).toEqual({ x: 4, y: 118 });
  });

  it('else left of it, exactly down to the edge', () => {
    expect(placePopup(at(900, 100), size, view)).toEqual({ x: 692, y: 100 });
    expect(placePopup(at(212, 100), size, { width: 300, height: 800 })).toEqual({ x: 4, y: 100 });
  });

  it('beside: the top is clamped inside the viewport', () => {
    expect(placePopup(at(100, 750), size, view)).toEqual({ x: 128, y: 696 });
    expect(placePopup(at(100, -30), size, view)).toEqual({ x: 128, y: 4 });
  });

  it('else below, centred on the anchor and clamped; else above; else over it', () => {
    const narrow = { width: 300, height: 800 };
    expect(placePopup(at(100, 100, 50), { width: 869, height: 100 }, view)).toEqual({ x: 4, y: 118 });
    expect(placePopup(at(100, 100, 50), size, narrow)).toEqual({ x: 25, y: 118 });
    expect(placePopup(at(100, 678, 50), size, narrow)).toEqual({ x: 25, y: 696 });
    expect(placePopup(at(100, 679, 50), size, narrow)).toEqual({ x: 25, y: 571 });
    expect(placePopup(at(100, 112, 50), size, { width: 300, height: 210 })).toEqual({ x: 25, y: 4 });
    expect(placePopup(at(100, 50, 50), { width: 200, height: 140 }, { width: 300, height: 150 })).toEqual({ x: 25, y: 6 });
    expect(placePopup(at(250, 50, 50), { width: 200, height: 140 }, { width: 300, height: 150 })).toEqual({ x: 42, y: 6 });
    expect(placePopup(at(200, 50, 50), { width: 280, height: 140 }, { width: 300, height: 150 })).toEqual({ x: 16, y: 6 });
  });
});

describe('colour scales', () => {
  it('the ramps: their stops at the ends, linear in between', () => {
    const seq = sequentialDomain(0, 255);
    expect([0, 64, 85, 128, 255].map((v) => colourOf(v, seq))).toEqual([[38, 20, 71], [45, 88, 140], [41, 107, 140], [32, 144, 140], [248, 230, 40]]);
    const div = divergingDomain(127.5);
    expect([-127.5, -0.5, 0, 127.5].map((v) => colourOf(v, div))).toEqual([[33, 80, 160], [235, 235, 236], [236, 235, 235], [170, 25, 40]]);
  });

  it('the difference ramp (Δweight): blue, pale blue, near-white, salmon, red; symmetric around 0', () => {
    const d = differenceDomain(127.5);
    expect(d).toEqual({ kind: 'difference', min: -127.5, max: 127.5 });
    expect([differenceDomain(0), differenceDomain(-2)]).toEqual([{ kind: 'difference', min: -1, max: 1 }, { kind: 'difference', min: -1, max: 1 }]);
    // −63.75 → entry 64 of 255 → 1.0039 stops: [140, 180, 235] + 0.0039 × ([236, 236, 236] − [140, 180, 235]);
    // 63.75 → entry 191 → 2.9961 stops: [236, 236, 236] + 0.9961 × ([235, 150, 130] − [236, 236, 236]).
    expect([-127.5, -63.75, 0, 63.75, 127.5].map((v) => colourOf(v, d))).toEqual([[40, 120, 230], [140, 180, 235], [236, 235, 235], [235, 150, 130], [225, 60, 50]]);
    expect(cssGradient('difference', 2)).toBe('linear-gradient(to right, rgb(40, 120, 230) 0.0%, rgb(225, 60, 50) 100.0%)');
  });

  it('values outside the domain clamp to its ends; −∞, NaN and masked cells are grey', () => {
    const d = sequentialDomain(0, 1);
    expect([colourOf(-1, d), colourOf(2, d)]).toEqual([[38, 20, 71], [248, 230, 40]]);
    expect([colourOf(-Infinity, d), colourOf(Number.NaN, d), colourOf(0.5, d, true)]).toEqual([MASKED_RGB, MASKED_RGB, MASKED_RGB]);
    expect(MASKED_RGB).toEqual([128, 128, 128]);
  });

  it('lutIndex rounds to the nearest of 256 entries', () => {
    const d = sequentialDomain(0, 255);
    expect(LUT_SIZE).toBe(256);
    expect([0, 0.4, 0.6, 127.5, 254.4, 255, -3, 300].map((v) => lutIndex(v, d))).toEqual([0, 0, 1, 128, 254, 255, 0, 255]);
  });

  it('domains: an empty range widens by 1, a diverging one is symmetric, 0 or less gives ±1', () => {
    expect(sequentialDomain(3, 3)).toEqual({ kind: 'sequential', min: 3, max: 4 });
    expect(sequentialDomain(3, 2)).toEqual({ kind: 'sequential', min: 3, max: 4 });
    expect(sequentialDomain(0, 2)).toEqual({ kind: 'sequential', min: 0, max: 2 });
    expect([divergingDomain(2), divergingDomain(0), divergingDomain(-1)]).toEqual([
      { kind: 'diverging', min: -2, max: 2 }, { kind: 'diverging', min: -1, max: 1 }, { kind: 'diverging', min: -1, max: 1 },
    ]);
  });

  it('matrixDomain: weights from 0 to their largest finite value (1 when none is positive), scores around 0', () => {
    expect(matrixDomain('weights', fromRows([[0.2, 0.5], [-Infinity, 0.1]]))).toEqual({ kind: 'sequential', min: 0, max: 0.5 });
    expect(matrixDomain('weights', fromRows([[0, 0]]))).toEqual({ kind: 'sequential', min: 0, max: 1 });
    expect(matrixDomain('scores', fromRows([[-3, 2], [-Infinity, 1]]))).toEqual({ kind: 'diverging', min: -3, max: 3 });
    expect(matrixDomain('scaled', fromRows([[0.5, -0.25]]))).toEqual({ kind: 'diverging', min: -0.5, max: 0.5 });
  });

  it('packed entries are ABGR words (RGBA bytes on a little-endian machine)', () => {
    expect(packedTable('sequential')[0]).toBe(0xff471426);
    expect(packedTable('diverging')[255]).toBe(0xff2819aa);
    expect(packedTable('sequential')).toHaveLength(256);
    expect(MASKED_PACKED).toBe(0xff808080);
  });

  it('CSS forms and the legend gradient', () => {
    expect(rgbCss([1, 2, 3])).toBe('rgb(1, 2, 3)');
    expect(rgbHex([1, 171, 255])).toBe('#01abff');
    expect(cssGradient('sequential', 3)).toBe('linear-gradient(to right, rgb(38, 20, 71) 0.0%, rgb(32, 144, 140) 50.0%, rgb(248, 230, 40) 100.0%)');
    expect(cssGradient('diverging').split('%,')).toHaveLength(9);
  });
});

describe('luminance, text colour and readable colours', () => {
  it('WCAG relative luminance, linear below 0.03928', () => {
    expect(luminance([255, 255, 255])).toBe(1);
    expect(luminance([0, 0, 0])).toBe(0);
    expect(luminance([10, 10, 10])).toBeCloseTo(0.0030353, 7);
    expect(luminance([128, 128, 128])).toBeCloseTo(0.2158605, 7);
    expect(luminance([255, 0, 0])).toBeCloseTo(0.2126, 7);
    expect(luminance([0, 0, 255])).toBeCloseTo(0.0722, 7);
  });

  it('WCAG relative luminance at its boundary: a channel of exactly 0.03928 · 255 is still on the linear side', () => {
    // 0.03928 / 12.92 = 0.0030402477; the power branch would give ((0.03928 + 0.055) / 1.055)^2.4 = 0.0030394925.
    expect(luminance([10.0164, 10.0164, 10.0164])).toBeCloseTo(0.0030402477, 9);
  });

  it('textOn: black above luminance 0.1791, white below', () => {
    expect([textOn([255, 255, 255]), textOn([118, 118, 118]), textOn([117, 117, 117]), textOn([0, 0, 0])]).toEqual(['#000000', '#000000', '#ffffff', '#ffffff']);
  });

  it('parseColour reads #rgb, #rrggbb(aa), rgb() and rgba(); contrastRatio is symmetric', () => {
    expect(['#abc', '#0a0b0c', '#0a0b0c80', 'rgb(1, 2, 3)', 'rgba(4 5 6 / 0.5)', ' #FFFFFF ', 'red', '#12'].map(parseColour))
      .toEqual([[170, 187, 204], [10, 11, 12], [10, 11, 12], [1, 2, 3], [4, 5, 6], [255, 255, 255], null, null]);
    expect(['x#0a0b0c', '#0a0b0c0', 'x#abc', '#abcd', 'xrgb(1, 2, 3)'].map(parseColour)).toEqual([null, null, null, null, null]);
    expect(['rgb(10, 200, 30)', 'rgb( 1,2,3)'].map(parseColour)).toEqual([[10, 200, 30], [1, 2, 3]]);
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBe(21);
    expect(contrastRatio([255, 255, 255], [0, 0, 0])).toBe(21);
  });

  it('readableOn: mixes toward black on light, white on dark, in steps of 5%, until 3:1', () => {
    expect(readableOn('#4fc1ff', '#ffffff')).toBe('#3f9acc');
    expect(readableOn('#4fc1ff', '#ffffff', 0.5)).toBe('#102733');
    expect(readableOn('#202020', '#000000')).toBe('#636363');
    expect(readableOn('#4fc1ff', '#000000')).toBe('#4fc1ff');
    expect(readableOn('#ffffff', '#ffffff', 0)).toBe('#000000');
    expect(readableOn('red', '#ffffff')).toBe('red');
    expect(readableOn('#ff0000', 'none')).toBe('#ff0000');
  });

  it('readableOn at its two boundaries: a background of luminance exactly 0.18 is dark; a ratio met exactly is enough', () => {
    // 0.2126·lin(0) + 0.7152·lin(109) + 0.0722·lin(252.54248697958283) is 0.18 to the last bit.
    expect(luminance([0, 109, 252.54248697958283])).toBe(0.18);
    expect(readableOn('#006dfc', 'rgb(0, 109, 252.54248697958283)')).toBe('#bfdbfe');
    const exact = contrastRatio([0x77, 0x77, 0x77], [255, 255, 255]);
    expect(readableOn('#777777', '#ffffff', 1, exact)).toBe('#777777');
    expect(readableOn('#777777', '#ffffff', 1, exact + 1e-12)).toBe('#717171');
  });
});

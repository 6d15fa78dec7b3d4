/**
 * The Pipeline and Heads SVG exports as text, from literal inputs: every position, size and attribute is worked out
 * from the layout constants in view-svg.ts (cards 168 px wide with 10 px gaps, 14 px lines, 22 characters of
 * explanation per line), so a moved card, a lost band or a changed attribute shows as a changed line.
 */
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/matrix';
import { rasterize, type Raster } from '../../webview/render/heatmap';
import { headGridSvg, pipelineSvg, svgThumb, wrap, type ExportColours, type SvgThumb } from '../../webview/render/view-svg';
import { sequentialColour } from './independent';

const colors: ExportColours = { background: '#000', foreground: '#fff', font: 'mono', dim: '#888', border: '#444', highlight: '#f00' };
const thumb = (width: number, height: number, band: SvgThumb['band'] = null): SvgThumb => ({ href: 'data:x', width, height, band });

describe('wrap', () => {
  it('fills lines greedily up to the limit, a longer word alone on its line', () => {
    expect(wrap('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrap('aa bb cc', 4)).toEqual(['aa', 'bb', 'cc']);
    expect(wrap('  a   toolongword b ', 3)).toEqual(['a', 'toolongword', 'b']);
    expect(wrap('', 5)).toEqual([]);
    expect(wrap('one', 3)).toEqual(['one']);
  });
});

describe('svgThumb: what drawThumb paints, as an image', () => {
  const small = (rows: number, cols: number): Matrix => ({ rows, cols, data: new Float32Array(rows * cols) });
  const raster = (w: number, h: number): Raster => new OffscreenCanvas(w, h);

  it('scales the raster to fit the box (at most 14 px a cell, at least 1) and places the traced row\'s band', () => {
    const t = { small: small(2, 3), raster: raster(3, 2), domain: { kind: 'sequential' as const, min: 0, max: 1 } };
    const s = svgThumb(t, 4, 100, 3);
    expect(s.href.startsWith('data:image/png;base64,')).toBe(true);
    // scale = min(100/3, 100/2, 14) = 14: 42 × 28; source row 3 of 4 is small row ⌊3·2/4⌋ = 1, at y = 1·28/2.
    expect({ width: s.width, height: s.height, band: s.band }).toEqual({ width: 42, height: 28, band: { y: 14, height: 14 } });
    expect(svgThumb(t, 4, 30, 0)).toMatchObject({ width: 30, height: 20, band: { y: 0, height: 10 } });
    expect(svgThumb(t, 4, 1, 0)).toMatchObject({ width: 3, height: 2, band: { y: 0, height: 2 } });
    expect(svgThumb(t, 4, 100, 4).band).toBeNull();
    expect(svgThumb(t, 4, 100, -1).band).toBeNull();
    expect(svgThumb(t, 4, 100, null).band).toBeNull();
  });

  it('a band is at least 2 px tall, and an empty matrix is 1 × 1', () => {
    const tall = { small: small(100, 1), raster: raster(1, 100), domain: { kind: 'sequential' as const, min: 0, max: 1 } };
    expect(svgThumb(tall, 100, 50, 99)).toMatchObject({ width: 1, height: 100, band: { y: 99, height: 2 } });
    const empty = { small: small(0, 0), raster: raster(1, 1), domain: { kind: 'sequential' as const, min: 0, max: 1 } };
    expect(svgThumb(empty, 0, 50, 0)).toMatchObject({ width: 14, height: 14, band: null });
  });
});

describe('pipelineSvg', () => {
  it('lays out the title, notes, step cards in columns, and the cost table', () => {
    const svg = pipelineSvg({
      title: 'Pipeline <1>',
      notes: ['note & more'],
      steps: [
        { id: 'x', name: 'X', shape: '3×8', explain: 'the input embeddings of each token', thumb: thumb(40, 30, { y: 10, height: 5 }), missing: '', trace: 'row 1: [0.1, 0.2]' },
        { id: 'w', name: 'W', shape: null, explain: 'weights', thumb: null, missing: 'not kept', trace: null },
        { id: 'z', name: 'Z', shape: '3×4', explain: 'out', thumb: thumb(20, 20), missing: '', trace: null },
      ],
      cost: { readout: '6 of 9 pairs', rows: [['mask', 'pairs'], ['causal', '6']] },
      columns: 2,
      colors,
    });
    expect(svg.split('\n')).toMatchInlineSnapshot(`
      [
        "<svg xmlns="http://www.w3.org/2000/svg" width="366" height="400" viewBox="0 0 366 400" font-family="mono" font-size="11">",
        "<rect width="100%" height="100%" fill="#000"/>",
        "<text x="10" y="20" fill="#fff" font-size="13" font-weight="bold">Pipeline &lt;1&gt;</text>",
        "<text x="10" y="38" fill="#888">note &amp; more</text>",
        "<g class="step" data-step="x">",
        "<rect x="10" y="54" width="168" height="112" rx="4" fill="none" stroke="#444"/>",
        "<text x="18" y="70" fill="#fff" font-weight="bold">X</text>",
        "<text x="170" y="70" fill="#888" text-anchor="end">3×8</text>",
        "<image x="18" y="78" width="40" height="30" preserveAspectRatio="none" image-rendering="pixelated" href="data:x"/><rect class="trace" x="18.5" y="87.50" width="39" height="6.00" fill="none" stroke="#f00" stroke-width="1.5"/>",
        "<text x="18" y="122" fill="#fff" class="explain">the input embeddings</text>",
        "<text x="18" y="136" fill="#fff" class="explain">of each token</text>",
        "<text x="18" y="154" fill="#fff" class="trace" font-size="9">row 1: [0.1, 0.2]</text>",
        "</g>",
        "<g class="step" data-step="w">",
        "<rect x="188" y="54" width="168" height="112" rx="4" fill="none" stroke="#444"/>",
        "<text x="196" y="70" fill="#fff" font-weight="bold">W</text>",
        "<text x="196" y="95" fill="#888" font-size="9">not kept</text>",
        "<text x="196" y="122" fill="#fff" class="explain">weights</text>",
        "</g>",
        "<g class="step" data-step="z">",
        "<rect x="10" y="176" width="168" height="112" rx="4" fill="none" stroke="#444"/>",
        "<text x="18" y="192" fill="#fff" font-weight="bold">Z</text>",
        "<text x="170" y="192" fill="#888" text-anchor="end">3×4</text>",
        "<image x="18" y="200" width="20" height="20" preserveAspectRatio="none" image-rendering="pixelated" href="data:x"/>",
        "<text x="18" y="244" fill="#fff" class="explain">out</text>",
        "</g>",
        "<text x="10" y="322" fill="#fff" font-size="12" font-weight="bold">Cost of the mask</text>",
        "<text x="10" y="340" fill="#fff" class="readout">6 of 9 pairs</text>",
        "<text x="10" y="358" fill="#888" class="cost">mask</text>",
        "<text x="100" y="358" fill="#888" class="cost">pairs</text>",
        "<text x="10" y="372" fill="#fff" class="cost">causal</text>",
        "<text x="100" y="372" fill="#fff" class="cost">6</text>",
        "</svg>",
      ]
    `);
  });

  it('one column at least, even when asked for none', () => {
    const svg = pipelineSvg({ title: 'T', notes: [], steps: [{ id: 'a', name: 'A', shape: null, explain: '', thumb: null, missing: '—', trace: null }], cost: { readout: '', rows: [] }, columns: 0, colors });
    expect(svg.split('\n')[0]).toBe('<svg xmlns="http://www.w3.org/2000/svg" width="188" height="180" viewBox="0 0 188 180" font-family="mono" font-size="11">');
  });
});

describe('headGridSvg', () => {
  it('places cards by row and column with labels, statistics and the selected head outlined', () => {
    const svg = headGridSvg({
      title: 'Heads',
      caption: 'Each card is one head of the model, sorted by layer',
      cards: [
        { label: 'L0H0', row: 0, col: 0, thumb: thumb(40, 40, { y: 4, height: 2 }), stats: ['H 1.2', 'sink 0.5'], selected: false },
        { label: 'L0H1', row: 0, col: 1, thumb: thumb(30, 40), stats: ['H 0.9'], selected: true },
        { label: 'L1H0', row: 1, col: 0, thumb: thumb(40, 40), stats: [], selected: false },
      ],
      cell: 50,
      rowLabels: ['L0', 'L1'],
      colLabels: ['H0', 'H1'],
      colors,
    });
    expect(svg.split('\n')).toMatchInlineSnapshot(`
      [
        "<svg xmlns="http://www.w3.org/2000/svg" width="240" height="284" viewBox="0 0 240 284" font-family="mono" font-size="11">",
        "<rect width="100%" height="100%" fill="#000"/>",
        "<text x="10" y="20" fill="#fff" font-size="13" font-weight="bold">Heads</text>",
        "<text x="10" y="38" fill="#888">Each card is one head of the</text>",
        "<text x="10" y="52" fill="#888">model, sorted by layer</text>",
        "<text x="71" y="74" fill="#888" text-anchor="middle">H0</text>",
        "<text x="125" y="74" fill="#888" text-anchor="middle">H1</text>",
        "<text x="10" y="125" fill="#888">L0</text>",
        "<text x="10" y="223" fill="#888">L1</text>",
        "<g class="head" data-label="L0H0">",
        "<rect x="46" y="78" width="50" height="94" rx="3" fill="none" stroke="#444" stroke-width="1"/>",
        "<text x="50" y="90" fill="#fff" font-size="10">L0H0</text>",
        "<image x="51" y="94" width="40" height="40" preserveAspectRatio="none" image-rendering="pixelated" href="data:x"/><rect class="trace" x="51.5" y="97.50" width="39" height="3.00" fill="none" stroke="#f00" stroke-width="1.5"/>",
        "<text x="50" y="144" fill="#fff" font-size="10" class="stat">H 1.2</text>",
        "<text x="50" y="158" fill="#fff" font-size="10" class="stat">sink 0.5</text>",
        "</g>",
        "<g class="head" data-label="L0H1">",
        "<rect x="100" y="78" width="50" height="94" rx="3" fill="none" stroke="#f00" stroke-width="2"/>",
        "<text x="104" y="90" fill="#fff" font-size="10">L0H1</text>",
        "<image x="110" y="94" width="30" height="40" preserveAspectRatio="none" image-rendering="pixelated" href="data:x"/>",
        "<text x="104" y="144" fill="#fff" font-size="10" class="stat">H 0.9</text>",
        "</g>",
        "<g class="head" data-label="L1H0">",
        "<rect x="46" y="176" width="50" height="94" rx="3" fill="none" stroke="#444" stroke-width="1"/>",
        "<text x="50" y="188" fill="#fff" font-size="10">L1H0</text>",
        "<image x="51" y="192" width="40" height="40" preserveAspectRatio="none" image-rendering="pixelated" href="data:x"/>",
        "</g>",
        "</svg>",
      ]
    `);
  });

  it('without labels the grid starts at the margin, and is at least 240 px wide', () => {
    const svg = headGridSvg({ title: 'H', caption: '', cards: [{ label: 'a', row: 0, col: 0, thumb: thumb(10, 10), stats: [], selected: false }], cell: 20, rowLabels: null, colLabels: null, colors });
    expect(svg.split('\n')).toMatchInlineSnapshot(`
      [
        "<svg xmlns="http://www.w3.org/2000/svg" width="240" height="84" viewBox="0 0 240 84" font-family="mono" font-size="11">",
        "<rect width="100%" height="100%" fill="#000"/>",
        "<text x="10" y="20" fill="#fff" font-size="13" font-weight="bold">H</text>",
        "<g class="head" data-label="a">",
        "<rect x="10" y="34" width="20" height="36" rx="3" fill="none" stroke="#444" stroke-width="1"/>",
        "<text x="14" y="46" fill="#fff" font-size="10">a</text>",
        "<image x="15" y="50" width="10" height="10" preserveAspectRatio="none" image-rendering="pixelated" href="data:x"/>",
        "</g>",
        "</svg>",
      ]
    `);
  });
});

describe('the exports at sizes the cases above do not reach', () => {
  it("svgThumb's image holds the raster's own pixels", async () => {
    const raster = rasterize({ rows: 1, cols: 2, data: Float32Array.from([0, 1]) }, { kind: 'sequential', min: 0, max: 1 });
    const t = { small: { rows: 1, cols: 2, data: new Float32Array(2) }, raster, domain: { kind: 'sequential' as const, min: 0, max: 1 } };
    const img = new Image();
    img.src = svgThumb(t, 1, 100, null).href;
    await img.decode();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, 2, 1).data;
    expect([canvas.width, canvas.height, [...data.slice(0, 3)], [...data.slice(4, 7)]]).toEqual([2, 1, sequentialColour(0, 1), sequentialColour(1, 1)]);
  });

  it('pipeline: each note on its own line, 14 px apart; a long trace shrinks to fit the card (40 characters: 6 px)', () => {
    const trace = 'row 12: [0.1234, 0.5678, 0.9012, 0.3456]';
    expect(trace).toHaveLength(40);
    const svg = pipelineSvg({
      title: 'T', notes: ['first', 'second'],
      steps: [{ id: 'a', name: 'A', shape: null, explain: '', thumb: null, missing: '—', trace }],
      cost: { readout: '', rows: [] }, columns: 1, colors,
    }).split('\n');
    expect(svg.slice(3, 5)).toEqual(['<text x="10" y="38" fill="#888">first</text>', '<text x="10" y="52" fill="#888">second</text>']);
    // Cards start at 34 + 2 × 14 + 6 = 68; the trace at 68 + 24 + (20 + 4) + 10 + 4 = 130; ⌊(168 − 16) / (0.6 × 40)⌋ = ⌊6.33⌋ = 6.
    expect(svg.filter((l) => l.includes('class="trace"'))).toEqual([`<text x="18" y="130" fill="#fff" class="trace" font-size="6">${trace}</text>`]);
  });

  it('heads: a grid wider than 240 px is as wide as its columns (3 cards of 100 px, 4 px apart, labels 36 px)', () => {
    const card = (col: number) => ({ label: `H${col}`, row: 0, col, thumb: thumb(10, 10), stats: [], selected: false });
    const svg = headGridSvg({ title: 'H', caption: '', cards: [card(2), card(0), card(1)], cell: 100, rowLabels: ['L0'], colLabels: ['H0', 'H1', 'H2'], colors });
    // 10 + 36 + 3 × (100 + 4) + 10 = 368 wide; 34 + 16 + (100 + 16 + 4) + 10 = 180 tall.
    expect(svg.split('\n')[0]).toBe('<svg xmlns="http://www.w3.org/2000/svg" width="368" height="180" viewBox="0 0 368 180" font-family="mono" font-size="11">');
  });
});

/**
 * Colours for the webview. Chrome and text come from `--vscode-*` variables with fallbacks, so the panel follows
 * light, dark and high-contrast themes; the data colours are fixed: the head palette here and the heatmap ramps in
 * render/colour-scale.ts, chosen to read on every theme.
 */

/**
 * Head palette: 12 distinct hues (Tableau 10 plus cyan and olive). Colours repeat only after 12
 * heads, so any 10 overlaid heads get distinct colours.
 */
export const HEAD_PALETTE: readonly string[] = [
  '#4e79a7', // blue
  '#f28e2b', // orange
  '#e15759', // red
  '#76b7b2', // teal
  '#59a14f', // green
  '#edc948', // yellow
  '#b07aa1', // purple
  '#ff9da7', // pink
  '#9c755f', // brown
  '#17becf', // cyan
  '#bcbd22', // olive
  '#8c8cff', // lavender
];

/** Colour of head `index` (0-based, counted across the whole model). */
export function headColor(index: number): string {
  const n = HEAD_PALETTE.length;
  return HEAD_PALETTE[((Math.trunc(index) % n) + n) % n];
}

/** Reads a `--vscode-*` colour as the element sees it (for canvas and exported images). */
export function readVar(el: Element, name: string, fallback: string): string {
  const v = getComputedStyle(el).getPropertyValue(`--vscode-${name}`).trim();
  return v || fallback;
}

export type ThemeName = 'dark' | 'light' | 'high-contrast';

/** A small subset of VS Code's theme variables, for the dev page, tests and screenshots. */
export const THEME_PRESETS: Readonly<Record<ThemeName, Readonly<Record<string, string>>>> = {
  dark: {
    'editor-background': '#1f1f1f',
    'editor-foreground': '#cccccc',
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    focusBorder: '#0078d4',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'list-hoverBackground': '#2a2d2e',
    'list-activeSelectionBackground': '#04395e',
    'list-activeSelectionForeground': '#ffffff',
    'inputValidation-errorBackground': '#5a1d1d',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-infoBackground': '#063b49',
    'inputValidation-infoBorder': '#1b80b2',
    'editorWidget-background': '#202020',
    'widget-border': '#313131',
    'panel-border': '#2b2b2b',
    'textLink-foreground': '#4daafc',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
    'font-family': 'system-ui, sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
  },
  light: {
    'editor-background': '#ffffff',
    'editor-foreground': '#3b3b3b',
    foreground: '#3b3b3b',
    descriptionForeground: '#5f5f5f',
    focusBorder: '#005fb8',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'list-hoverBackground': '#f2f2f2',
    'list-activeSelectionBackground': '#e8e8e8',
    'list-activeSelectionForeground': '#000000',
    'inputValidation-errorBackground': '#f2dede',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-infoBackground': '#d6ecf2',
    'inputValidation-infoBorder': '#007acc',
    'editorWidget-background': '#f8f8f8',
    'widget-border': '#e5e5e5',
    'panel-border': '#e5e5e5',
    'textLink-foreground': '#005fb8',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
    'font-family': 'system-ui, sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
    'settings-textInputBackground': '#ffffff',
    'settings-textInputForeground': '#3b3b3b',
    'settings-textInputBorder': '#cecece',
    'settings-dropdownBackground': '#ffffff',
    'settings-dropdownForeground': '#3b3b3b',
    'settings-dropdownBorder': '#cecece',
    'settings-checkboxBackground': '#ffffff',
    'settings-checkboxForeground': '#3b3b3b',
    'settings-checkboxBorder': '#cecece',
    'panel-background': '#ffffff',
    'settings-headerBorder': '#e5e5e5',
    'panelTitle-activeForeground': '#3b3b3b',
    'panelTitle-inactiveForeground': '#5f5f5f',
    'panelTitle-activeBorder': '#005fb8',
    'sideBar-background': '#f8f8f8',
    'sideBarSectionHeader-background': '#f8f8f8',
    'sideBarTitle-foreground': '#3b3b3b',
    'icon-foreground': '#3b3b3b',
  },
  'high-contrast': {
    'editor-background': '#000000',
    'editor-foreground': '#ffffff',
    foreground: '#ffffff',
    descriptionForeground: '#ffffff',
    focusBorder: '#f38518',
    contrastBorder: '#6fc3df',
    contrastActiveBorder: '#f38518',
    'button-background': '#000000',
    'button-foreground': '#ffffff',
    'button-border': '#6fc3df',
    'list-hoverBackground': '#000000',
    'list-activeSelectionBackground': '#000000',
    'list-activeSelectionForeground': '#ffffff',
    'inputValidation-errorBackground': '#000000',
    'inputValidation-errorBorder': '#f48771',
    'inputValidation-infoBackground': '#000000',
    'inputValidation-infoBorder': '#6fc3df',
    'editorWidget-background': '#0c141f',
    'widget-border': '#6fc3df',
    'panel-border': '#6fc3df',
    'textLink-foreground': '#21a6ff',
    'badge-background': '#000000',
    'badge-foreground': '#ffffff',
    'font-family': 'system-ui, sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
  },
};

/** Sets a preset's variables on an element (documentElement by default), like VS Code does. */
export function applyTheme(name: ThemeName, el: HTMLElement = document.documentElement): void {
  for (const preset of Object.values(THEME_PRESETS)) for (const key of Object.keys(preset)) el.style.removeProperty(`--vscode-${key}`);
  for (const [key, value] of Object.entries(THEME_PRESETS[name])) el.style.setProperty(`--vscode-${key}`, value);
  el.style.background = `var(--vscode-editor-background)`;
  el.style.color = `var(--vscode-foreground)`;
  document.body?.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast');
  document.body?.classList.add(`vscode-${name}`);
}

import { noChange } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

export type StyleProps = Readonly<Record<string, string | number | undefined>>;

/**
 * Like Lit's styleMap, but always through CSSOM (element.style.setProperty). styleMap writes a
 * style attribute on first render, which the webview's strict CSP (no inline styles) blocks.
 */
class StylePropsDirective extends Directive {
  private previous = new Set<string>();

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('styleProps belongs on an element: <div ${styleProps({...})}>');
  }

  render(_props: StyleProps) {
    return noChange;
  }

  override update(part: ElementPart, [props]: [StyleProps]) {
    const style = (part.element as HTMLElement).style;
    for (const name of this.previous) {
      if (props[name] === undefined) style.removeProperty(toCssName(name));
    }
    this.previous = new Set();
    for (const [name, value] of Object.entries(props)) {
      if (value === undefined) continue;
      style.setProperty(toCssName(name), String(value));
      this.previous.add(name);
    }
    return noChange;
  }
}

function toCssName(name: string): string {
  return name.startsWith('--') ? name : name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export const styleProps = directive(StylePropsDirective);

export { AttnMatrix } from './attn-matrix';

import type { AttentionResult } from '../../src/shared/core';
import { answerRaster, answerRow } from '../../src/compute/raster';
import { WithheldData, type DataRequest } from '../../webview/withheld-data';

/** A store whose requests the "host" answers a moment later from the whole result, as the worker would. */
export function fakeHost(whole: AttentionResult, seq = 1): { readonly data: WithheldData; readonly asked: DataRequest[]; readonly changes: () => number } {
  const asked: DataRequest[] = [];
  let changed = 0;
  const data: WithheldData = new WithheldData((request) => {
    asked.push(request);
    setTimeout(() => {
      if (request.type === 'raster') data.receiveRaster(answerRaster(whole, request.request));
      else data.receiveRow(answerRow(whole, request.request));
    }, 5);
  }, () => changed++);
  data.showing(seq);
  return { data, asked, changes: () => changed };
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFromSections, labelsFromSpans, labelsFromStarts, pk, windowDiff } from '../../scripts/segmentation-metrics.js';

test('Pk and WindowDiff are 0 for the reference itself and grow with misplaced boundaries', () => {
  const ref = labelsFromStarts(20, [5, 10, 15]);
  assert.equal(pk(ref, ref), 0);
  assert.equal(windowDiff(ref, ref), 0);
  const near = labelsFromStarts(20, [6, 10, 15]);
  const far = labelsFromStarts(20, [2, 8, 18]);
  const none = labelsFromStarts(20, []);
  assert.ok(pk(ref, near) > 0 && pk(ref, near) < pk(ref, far), `${pk(ref, near)} < ${pk(ref, far)}`);
  assert.ok(windowDiff(ref, near) > 0 && windowDiff(ref, near) < windowDiff(ref, far));
  // k = 20 / 4 topics / 2 = 3 (rounded); with no boundaries every window spanning one is wrong.
  assert.equal(pk(ref, none), 9 / 17);
  assert.equal(windowDiff(ref, none), 9 / 17);
});

test('reference labels come from annotated spans; hypothesis labels from cited segments', () => {
  assert.deepEqual(labelsFromSpans(8, [{ relevantSpans: [[0, 2]] }, { relevantSpans: [[4, 5]] }, { relevantSpans: [[6, 7]] }]), [0, 0, 0, 0, 1, 1, 2, 2]);
  const sections = [
    { pointDetails: [{ evidence: [{ segmentIndex: 0 }, { segmentIndex: 2 }] }] },
    { pointDetails: [{ evidence: [{ segmentIndex: 6 }] }, { evidence: [{ segmentIndex: 7 }] }] },
  ];
  assert.deepEqual(labelsFromSections(8, sections), [0, 0, 0, 0, 0, 1, 1, 1]);
});

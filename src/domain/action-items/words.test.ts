import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchItems } from './match.js';
import { findMentions } from './mentions.js';
import { saysFinished } from './words.js';
import type { ActionItemRow } from '../../db/repos/action-items.js';

const ev = (...segs: number[]) => segs.map((segmentIndex) => ({ segmentIndex, quote: '' }));

test('regenerated items pair with stored ones by wording and evidence, one to one', () => {
  const stored = [
    { item: 'Send the handover doc to Priya', evidence: ev(3) },
    { item: 'Chase the vendor about the SOC report', evidence: ev(5) },
  ];
  assert.deepEqual(
    matchItems(
      [
        { item: 'Chase the vendor for the SOC report by Friday', evidence: ev(5) },
        { item: 'Send Priya the handover document', evidence: ev(3) },
        { item: 'Send the handover doc to Priya', evidence: ev(9) },
        { item: 'Book the offsite venue', evidence: ev(3) },
      ],
      stored,
    ),
    [1, 0, -1, -1],
    'close wording on the same segment beats the same words said elsewhere; each stored item is taken once',
  );
  assert.deepEqual(matchItems([{ item: 'Update the pricing page', evidence: ev(1) }], []), [-1]);
});

test('finished or not: the sentence decides', () => {
  for (const s of ['The handover doc is done.', 'I sent the deck on Monday', 'We merged the fix', 'Bob took care of the invoices', 'Shipped it.'])
    assert.equal(saysFinished(s), true, s);
  for (const s of ['Still waiting on the SOC report', 'The doc is not done yet', "I haven't sent it", 'Once the doc is done we ship', 'I will send it when it is finished'])
    assert.equal(saysFinished(s), false, s);
});

test('mentions need two of the item\'s distinctive words; task verbs and dates do not count', () => {
  const row = (id: string, item: string) => ({ id, item }) as ActionItemRow;
  const seg = (index: number, text: string) => ({ index, text, speaker: 'X', timestamp: null });
  const found = findMentions(
    [row('a', 'Send the handover doc to the support team by Friday'), row('b', 'Chase the vendor about the SOC report'), row('c', 'Send the update on Friday')],
    'sess_2',
    [seg(0, 'Send me an update on Friday please.'), seg(1, 'I finished the export. The handover doc is done.'), seg(2, 'Still waiting on the SOC report. The vendor is slow.')],
  );
  assert.deepEqual([...found.keys()].sort(), ['a', 'b']);
  assert.deepEqual(found.get('a'), [{ conversationId: 'sess_2', segmentIndex: 1, quote: 'I finished the export. The handover doc is done.', suggestsDone: true }]);
  assert.equal(found.get('b')![0].suggestsDone, false);
});

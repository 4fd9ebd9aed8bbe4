// Loading wink's model takes ~50 ms and ~30 MB, so it is read once per process (or worker
// thread) and shared; it is immutable after load, which makes sharing safe.
import winkNLP from 'wink-nlp';
import type { WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import nlp from 'compromise';
import datesPlugin from 'compromise-dates';

let wink: WinkMethods | null = null;
let compromiseReady = false;

export function getWink(): WinkMethods {
  // Sentiment and NER are not needed from wink (vader and compromise/chrono do those), so the
  // pipe is kept short for speed.
  wink ??= winkNLP(model, ['sbd', 'pos', 'negation']);
  return wink;
}

export function getCompromise(): typeof nlp {
  if (!compromiseReady) {
    nlp.plugin(datesPlugin);
    compromiseReady = true;
  }
  return nlp;
}

/** Accuracy, per-class F1, macro-F1 and the confusion matrix of a binary classifier (true = the positive class). */
export type BinaryClassificationReport = {
  n: number;
  accuracy: number;
  macroF1: number;
  positive: { precision: number; recall: number; f1: number };
  negative: { precision: number; recall: number; f1: number };
  /** Rows are the truth, columns the prediction. */
  confusion: { truePositive: number; falseNegative: number; falsePositive: number; trueNegative: number };
};

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

function classScores(hit: number, falseAlarm: number, miss: number) {
  const precision = ratio(hit, hit + falseAlarm);
  const recall = ratio(hit, hit + miss);
  return { precision, recall, f1: ratio(2 * hit, 2 * hit + falseAlarm + miss) };
}

export function binaryClassificationReport(
  predicted: boolean[],
  actual: boolean[],
): BinaryClassificationReport {
  if (predicted.length !== actual.length) throw new Error("predicted and actual differ in length");
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  predicted.forEach((p, i) => {
    if (p && actual[i]) tp++;
    else if (p) fp++;
    else if (actual[i]) fn++;
    else tn++;
  });
  const positive = classScores(tp, fp, fn);
  const negative = classScores(tn, fn, fp);
  return {
    n: predicted.length,
    accuracy: ratio(tp + tn, predicted.length),
    macroF1: (positive.f1 + negative.f1) / 2,
    positive,
    negative,
    confusion: { truePositive: tp, falseNegative: fn, falsePositive: fp, trueNegative: tn },
  };
}

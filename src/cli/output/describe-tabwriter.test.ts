import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tabwrite } from './describe-tabwriter.ts';

test('a column is as wide as its widest cell plus two spaces; the last cell of a line is not aligned', () => {
  assert.equal(tabwrite('Name:\tx\nAnnotations:\t<none>\n'), 'Name:         x\nAnnotations:  <none>\n');
});

test('a line with fewer cells ends the column block, so the lines after it align on their own', () => {
  const text = 'IP:\t10.0.0.1\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tReplicaSet/x\nContainers:\n';
  assert.equal(tabwrite(text), 'IP:  10.0.0.1\nIPs:\n  IP:           10.0.0.1\nControlled By:  ReplicaSet/x\nContainers:\n');
});

test('nested columns align within the block of the column before them (kubectl Port lines)', () => {
  const text = 'Name:\ts\nPort:\t<unset>\t80/TCP\nTargetPort:\t9999/TCP\nNodePort:\thttp\t30080/TCP\n';
  assert.equal(
    tabwrite(text),
    ['Name:        s', 'Port:        <unset>  80/TCP', 'TargetPort:  9999/TCP', 'NodePort:    http  30080/TCP', ''].join('\n'),
  );
});

test('an empty first cell continues a block (multi-line labels); widths count runes, not UTF-16 units', () => {
  assert.equal(tabwrite('Labels:\ta=b\n\tc=d\n'), 'Labels:  a=b\n         c=d\n');
  assert.equal(tabwrite('é𝄞:\tx\nab:\ty\n'), 'é𝄞:  x\nab:  y\n');
});

test('text without a trailing newline is written as it is', () => {
  assert.equal(tabwrite('a\tb'), 'a\tb'.replace('\t', '  '));
  assert.equal(tabwrite(''), '');
});

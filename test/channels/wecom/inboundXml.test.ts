import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallbackRefused } from '../../../src/channels/wecom/callbackCrypto';
import { field, parseFully, parseXml } from '../../../src/channels/wecom/inboundXml';

/** What a parse gives: the fields, or the status it was refused with. */
function outcome(parse: () => unknown): unknown {
  try {
    return { fields: parse() };
  } catch (error) {
    if (error instanceof CallbackRefused) return { refused: error.status };
    throw error;
  }
}

const NAMES = ['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId', 'AgentID', 'Encrypt', 'x', '_a', 'constructor', '__proto__', 'a.b'];
const space = fc.constantFrom('', ' ', '\n', '\r\n  ', '\t');
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('a&b', '&amp;', 'x]]>y', ' 12 ', '<b>1</b>', '\u0001', '<![CDATA[x]]>'));
const child = fc.tuple(fc.constantFrom(...NAMES), fc.boolean(), text, space).map(([name, cdata, value, gap]) => {
  const inner = cdata ? `<![CDATA[${value.replaceAll(']]>', '')}]]>` : value;
  return `${gap}<${name}>${inner}</${name}>`;
});
const document = fc.tuple(space, fc.array(child, { maxLength: 8 }), space, fc.constantFrom('', '</xml>', 'junk', '<?xml version="1.0"?>')).map(
  ([before, children, after, tail]) => `${before}<xml>${children.join('')}${after}</xml>${tail === '</xml>' ? '' : tail}`,
);

describe('reading WeCom XML in one pass', () => {
  it('reads an envelope and a text payload as the full parser does', () => {
    const payload = '<xml><ToUserName><![CDATA[ww1]]></ToUserName>\n<FromUserName><![CDATA[zhangsan]]></FromUserName>\n<CreateTime>1348831860</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[ 菜单 ]]></Content>\n<MsgId>1234567890123456789</MsgId>\n<AgentID>1</AgentID>\n</xml>';
    const fields = parseXml(payload, 'payload');
    expect(fields).toEqual(parseFully(payload, 'payload'));
    expect(field(fields, 'Content')).toBe(' 菜单 ');
    expect(field(fields, 'MsgId')).toBe('1234567890123456789');
  });

  it('agrees with the validator and the full parser on any flat document, well-formed or not', () => {
    fc.assert(
      fc.property(document, (xml) => {
        expect(outcome(() => parseXml(xml, 'body'))).toEqual(outcome(() => parseFully(xml, 'body')));
      }),
      { numRuns: 3000, seed: 18 },
    );
  });

  it('still refuses a declaration before reading anything', () => {
    expect(outcome(() => parseXml('<!DOCTYPE x><xml><A>1</A></xml>', 'body'))).toEqual({ refused: 400 });
  });
});

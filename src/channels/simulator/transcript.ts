import type { Card, ChannelSender, OutboundMessage } from '../port';

export interface TranscriptEntry {
  seq: number;
  from: 'bot' | 'user';
  at: string;
  text?: string;
  markdown?: string;
  card?: Card & { closedLabel?: string };
}

/**
 * What the simulator shows: per person, the messages both ways. It is the simulator's
 * "messenger app", so it lives in memory like a phone's screen would.
 */
export class SimulatorTranscript implements ChannelSender {
  readonly channel = 'simulator' as const;
  private seq = 0;
  private readonly entries = new Map<string, TranscriptEntry[]>();
  private readonly cards = new Map<string, TranscriptEntry['card'][]>();

  constructor(private readonly now: () => Date) {}

  async deliver(personCode: string, message: OutboundMessage): Promise<void> {
    switch (message.kind) {
      case 'text':
        this.push(personCode, { from: 'bot', text: message.text });
        return;
      case 'markdown':
        this.push(personCode, { from: 'bot', markdown: message.markdown });
        return;
      case 'card': {
        const card = { ...message.card };
        this.cards.set(card.cardId, [...(this.cards.get(card.cardId) ?? []), card]);
        this.push(personCode, { from: 'bot', card });
        return;
      }
      case 'cardUpdate':
        for (const card of this.cards.get(message.cardId) ?? []) if (card) card.closedLabel = message.closedLabel;
        return;
    }
  }

  recordUser(personCode: string, text: string): void {
    this.push(personCode, { from: 'user', text });
  }

  since(personCode: string, afterSeq: number): TranscriptEntry[] {
    return (this.entries.get(personCode) ?? []).filter((e) => e.seq > afterSeq);
  }

  lastSeq(): number {
    return this.seq;
  }

  private push(personCode: string, entry: Omit<TranscriptEntry, 'seq' | 'at'>): void {
    const list = this.entries.get(personCode) ?? [];
    list.push({ ...entry, seq: ++this.seq, at: this.now().toISOString() });
    if (list.length > 500) list.splice(0, list.length - 500);
    this.entries.set(personCode, list);
  }
}

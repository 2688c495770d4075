import { FieldCipher } from '../../src/storage/fieldCipher';
import { parseKeyRing } from '../../src/storage/fieldKeys';

/** The data key every test database and test process uses (a fixed one, so processes agree). */
export const TEST_DATA_KEYS = `test1:${Buffer.alloc(32, 7).toString('base64')}`;

export const testCipher = new FieldCipher(parseKeyRing(TEST_DATA_KEYS));

/** What a release from before encryption wrote: the text as it is (for tests of upgrades). */
class BeforeEncryption extends FieldCipher {
  constructor() {
    super(parseKeyRing(TEST_DATA_KEYS));
  }

  override seal(plain: string, column: string): string;
  override seal(plain: string | null, column: string): string | null;
  override seal(plain: string | null): string | null {
    return plain;
  }
}

export const beforeEncryption: FieldCipher = new BeforeEncryption();

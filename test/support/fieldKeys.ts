import { FieldCipher } from '../../src/storage/fieldCipher';
import { parseKeyRing } from '../../src/storage/fieldKeys';

/** The data key every test database and test process uses (a fixed one, so processes agree). */
export const TEST_DATA_KEYS = `test1:${Buffer.alloc(32, 7).toString('base64')}`;

export const testCipher = new FieldCipher(parseKeyRing(TEST_DATA_KEYS));

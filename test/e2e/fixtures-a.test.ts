import { fixtureSuite } from './fixture-suite.ts';

fixtureSuite(0);

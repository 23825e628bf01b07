// Input specs of the shared reference models, as the loader gets them from a model action.

import { loadModel } from '../../../server/src/model/load';
import { modelInputSpecs } from '../../../server/src/inputs/modelInputs';
import { sharedModel } from '../../helpers/shared';

export function sharedModelInputs(relativePath: string) {
  return modelInputSpecs(loadModel(sharedModel(relativePath)));
}

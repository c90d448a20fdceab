/**
 * Meta's own OpenAPI description of the Cloud API (test/fixtures/meta-openapi), as a JSON Schema
 * 2020-12 validator for send request bodies. The spec disagrees with its own examples in four
 * places (see that folder's README); they are repaired here before compiling, and nothing else
 * is loosened.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

type Schema = Record<string, unknown>;

const specFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'meta-openapi', 'meta-whatsapp-business-messaging-openapi-v23.0.yaml');

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Repair 1: `additionalProperties: false` inside an allOf branch cannot see the other branches. */
function closeAllOfs(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(closeAllOfs);
    return;
  }
  if (!isSchema(node)) return;
  if (Array.isArray(node['allOf'])) {
    let closed = false;
    for (const branch of node['allOf']) {
      if (isSchema(branch) && branch['additionalProperties'] === false) {
        delete branch['additionalProperties'];
        closed = true;
      }
    }
    if (closed) node['unevaluatedProperties'] = false;
  }
  for (const value of Object.values(node)) closeAllOfs(value);
}

/** Drops OpenAPI's `discriminator` (its oneOf branches already tell themselves apart by `type`). */
function dropDiscriminators(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(dropDiscriminators);
    return;
  }
  if (!isSchema(node)) return;
  delete node['discriminator'];
  for (const value of Object.values(node)) dropDiscriminators(value);
}

function schemaAt(schemas: Schema, name: string): Schema {
  const schema = schemas[name];
  if (!isSchema(schema)) throw new Error(`Meta's spec has no schema ${name}`);
  return schema;
}

function propertiesOf(schema: Schema): Schema {
  const properties = schema['properties'];
  if (!isSchema(properties)) throw new Error('schema without properties');
  return properties;
}

function repairButtonFields(properties: Schema): void {
  const index = properties['index'];
  if (isSchema(index)) index['pattern'] = '^[0-9]$';
  const subType = properties['sub_type'];
  if (isSchema(subType)) delete subType['enum'];
}

function loadSchemas(): Schema {
  const spec = parse(readFileSync(specFile, 'utf8')) as { components: { schemas: Schema } };
  const schemas = spec.components.schemas;
  closeAllOfs(schemas);
  dropDiscriminators(schemas);
  // Repair 2: Meta's template examples never send `policy`.
  schemaAt(schemas, 'LanguageObject')['required'] = ['code'];
  // Repair 3: `biz_opaque_callback_data` is documented for messages.
  propertiesOf(schemaAt(schemas, 'BaseMessageProperties'))['biz_opaque_callback_data'] = { type: 'string', maxLength: 512 };
  // Repair 4: any single-digit button index, any button sub_type.
  repairButtonFields(propertiesOf(schemaAt(schemas, 'TemplateComponent')));
  const buttonBranches = schemaAt(schemas, 'ButtonComponent')['allOf'];
  if (Array.isArray(buttonBranches)) for (const branch of buttonBranches) if (isSchema(branch) && isSchema(branch['properties'])) repairButtonFields(branch['properties']);
  return schemas;
}

let validator: ValidateFunction | undefined;

/** Validates a send request body against Meta's `Message` schema. */
export function validateSendRequest(body: unknown): { valid: boolean; errors: ErrorObject[] } {
  if (!validator) {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: 'meta', components: { schemas: loadSchemas() } });
    validator = ajv.compile({ $ref: 'meta#/components/schemas/Message' });
  }
  const valid = validator(body);
  return { valid, errors: valid ? [] : [...(validator.errors ?? [])] };
}

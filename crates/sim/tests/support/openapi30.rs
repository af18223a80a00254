//! OpenAPI 3.0 schema objects to JSON Schema draft 4: `nullable: true` becomes a type union.
//!
//! OpenAPI 3.0 has no `null` type; it marks a schema `nullable: true` instead, which a JSON
//! Schema validator ignores (so `null` would be refused). The walk follows only the places
//! that hold schemas, so a property that happens to be *named* `nullable` is left alone, and
//! example or default values are never touched.

use serde_json::{Map, Value, json};

/// Translates every schema of a `{name: schema}` map (e.g. `components.schemas`).
pub fn translate_schema_map(schemas: &mut Value) {
    if let Some(map) = schemas.as_object_mut() {
        for schema in map.values_mut() {
            translate_schema(schema);
        }
    }
}

/// Translates one schema object and every schema inside it.
pub fn translate_schema(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return; // `true`/`false` schemas and malformed parts have nothing to translate
    };
    for keyword in ["properties", "patternProperties", "definitions"] {
        if let Some(map) = object.get_mut(keyword) {
            translate_schema_map(map);
        }
    }
    for keyword in ["items", "additionalProperties", "not", "additionalItems"] {
        match object.get_mut(keyword) {
            Some(Value::Array(schemas)) => schemas.iter_mut().for_each(translate_schema),
            Some(inner) => translate_schema(inner),
            None => {}
        }
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(schemas)) = object.get_mut(keyword) {
            schemas.iter_mut().for_each(translate_schema);
        }
    }
    let nullable = object.remove("nullable") == Some(Value::Bool(true));
    if nullable {
        allow_null(schema);
    }
}

fn allow_null(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(values)) = object.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match object.get_mut("type") {
        Some(Value::String(single)) => {
            let single = std::mem::take(single);
            object.insert("type".into(), json!([single, "null"]));
        }
        Some(Value::Array(types)) => {
            if !types.contains(&json!("null")) {
                types.push(json!("null"));
            }
        }
        // No type of its own (a `$ref` or a combination): null or the schema.
        _ => {
            let inner = Value::Object(std::mem::take(object));
            let mut either = Map::new();
            either.insert("anyOf".into(), json!([inner, { "type": "null" }]));
            *schema = Value::Object(either);
        }
    }
}

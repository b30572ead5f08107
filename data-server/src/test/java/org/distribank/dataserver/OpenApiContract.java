package org.distribank.dataserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An OpenAPI 3 document as a test oracle: it must parse with swagger-parser without a message, and a real answer
 * of a route must match the JSON schema the document gives for that route and status. The schemas are made strict
 * here (no property the document does not name), so a field a server adds without documenting it fails too.
 * (The bank module's tests use it too, through this module's test-jar.)
 */
public final class OpenApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode doc;
    private final ObjectNode strictSchemas;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Set<String> checked = new TreeSet<>();

    public OpenApiContract(String documentText) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(documentText, null, options);
        assertThat(parsed.getOpenAPI()).as("parsed document").isNotNull();
        assertThat(parsed.getMessages()).as("swagger-parser messages").isEmpty();
        try {
            this.doc = JSON.readTree(documentText);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode schemas = doc.path("components").path("schemas");
        this.strictSchemas = schemas.isObject() ? schemas.deepCopy() : JSON.createObjectNode();
        strictSchemas.forEach(OpenApiContract::strict);
    }

    /** Every operation of the document, as "METHOD /path". */
    public Set<String> operations() {
        Set<String> ops = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> ops.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        return ops;
    }

    /** How many operations describe their success answer: its body's schema, or no body (204, 101). */
    public long withSuccessSchema() {
        return operationNodes().stream().filter(op -> {
            Iterator<Map.Entry<String, JsonNode>> it = op.path("responses").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> r = it.next();
                if (r.getKey().startsWith("2") && r.getValue().has("content") || r.getKey().equals("204")
                        || r.getKey().equals("101")) {
                    return true;
                }
            }
            return false;
        }).count();
    }

    private java.util.List<JsonNode> operationNodes() {
        java.util.List<JsonNode> ops = new java.util.ArrayList<>();
        doc.path("paths").forEach(p -> p.forEach(ops::add));
        return ops;
    }

    /** The operations whose answers {@link #check} has seen. */
    public Set<String> checked() {
        return checked;
    }

    /**
     * Checks a real answer of {@code method pathTemplate}: the document lists its status (or its class, 4XX/5XX)
     * and its body matches that response's schema (a 204 or a body-less response: an empty body).
     */
    public void check(String method, String pathTemplate, int status, String body) {
        String op = method.toUpperCase(Locale.ROOT) + " " + pathTemplate;
        JsonNode operation = doc.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
        assertThat(operation.isObject()).as("documented: " + op).isTrue();
        JsonNode responses = operation.path("responses");
        JsonNode response = responses.has(Integer.toString(status)) ? responses.get(Integer.toString(status))
                : responses.get((status / 100) + "XX");
        assertThat(response).as(op + " documents status " + status + " (answer: " + body + ")").isNotNull();
        if (response.has("$ref")) { // #/components/responses/Name
            response = doc.at(response.get("$ref").asText().substring(1));
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode() && response.path("content").has("text/plain")) {
            assertThat(body).as(op + " " + status + " answers the documented text").isNotBlank();
        } else if (schema.isMissingNode()) {
            assertThat(body).as(op + " " + status + " has no documented body").isEmpty();
        } else {
            validate(op + " " + status, schema, body);
        }
        if (status / 100 == 2) {
            checked.add(op);
        }
    }

    private void validate(String what, JsonNode schema, String body) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", JSON.createObjectNode().set("schemas", strictSchemas));
        root.setAll((ObjectNode) strictCopy(schema));
        Schema s = registry.getSchema(root);
        JsonNode instance;
        try {
            instance = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(what + ": not JSON: " + body, e);
        }
        assertThat(s.validate(instance)).as(what + " answer " + body).isEmpty();
    }

    private static JsonNode strictCopy(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        strict(copy);
        return copy;
    }

    /** Objects with named properties admit no others. */
    private static void strict(JsonNode schema) {
        if (schema instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties")) {
                o.put("additionalProperties", false);
            }
            o.forEach(OpenApiContract::strict);
        } else if (schema.isArray()) {
            schema.forEach(OpenApiContract::strict);
        }
    }
}

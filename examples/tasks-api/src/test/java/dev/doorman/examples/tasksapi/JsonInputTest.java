package dev.doorman.examples.tasksapi;

import dev.doorman.authz.Subject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The strict edges on their own: request bodies, member ids, media types, path ids. */
class JsonInputTest {
    private static JsonInput parse(String json) throws JsonInput.Invalid {
        return JsonInput.parse(json.getBytes(StandardCharsets.UTF_8), Set.of("title", "description"));
    }

    @Test
    void parseWhenWellFormedThenMembersAreReadStrippedAndTyped() throws Exception {
        var in = parse("{\"title\":\"  Ship it \",\"description\":\"\"}");
        assertThat(in.text("title", 200)).isEqualTo("Ship it");
        assertThat(in.optionalText("description", 10, true)).contains("");
        assertThat(in.optionalText("missing", 10, true)).isEmpty();
    }

    @Test
    void parseWhenDuplicateAtAnyDepthOrTrailingDataOrNotAnObjectThenInvalid() {
        for (String bad : new String[] {"{\"title\":\"a\",\"title\":\"b\"}", "{\"title\":{\"x\":1,\"x\":2}}", "{\"title\":\"a\"}x",
                "{\"title\":\"a\"}{}", "[]", "\"title\"", "null", "", "{\"title\":\"a\",}", "{'title':'a'}", "{\"other\":1}"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(JsonInput.Invalid.class);
        }
        byte[] bom = ("\uFEFF{\"title\":\"a\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JsonInput.parse(bom, Set.of("title"))).isInstanceOf(JsonInput.Invalid.class);
    }

    @Test
    void textWhenWrongTypeEmptyTooLongOrWithControlCharactersThenInvalid() throws Exception {
        assertThatThrownBy(() -> parse("{\"title\":1}").text("title", 10)).hasMessageContaining("must be a string");
        assertThatThrownBy(() -> parse("{\"title\":null}").text("title", 10)).hasMessageContaining("must be a string");
        assertThatThrownBy(() -> parse("{\"title\":\"  \"}").text("title", 10)).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> parse("{\"title\":\"12345678901\"}").text("title", 10)).hasMessageContaining("more than 10");
        assertThatThrownBy(() -> parse("{\"title\":\"a\\u0000b\"}").text("title", 10)).hasMessageContaining("control");
        assertThatThrownBy(() -> parse("{\"title\":\"a\\u202Eb\"}").text("title", 10)).hasMessageContaining("control");
        assertThat(parse("{\"title\":\"\uD83D\uDE00\uD83D\uDE00\"}").text("title", 2)).as("code points, not UTF-16 units").hasSize(4);
        assertThat(parse("{\"description\":\"line 1\\nline 2\"}").optionalText("description", 20, true)).contains("line 1\nline 2");
    }

    @Test
    void memberIdWhenParsedAndPrintedThenRoundTripsAndKeepsTheKind() {
        for (String text : new String[] {"user:f547650f-b459-4824-b60d-5b03f24f23a8", "client:tasks-bot"}) {
            assertThat(MemberId.parse(text).map(MemberId::toString)).contains(text);
        }
        assertThat(MemberId.parse("client:ada")).isNotEqualTo(MemberId.parse("user:ada"));
        assertThat(MemberId.of(Subject.client("tasks-bot", Set.of()))).isEqualTo(MemberId.parse("client:tasks-bot").orElseThrow());
        for (String bad : new String[] {"ada", "admin:ada", "user:", "user:a b", "user:" + "x".repeat(201), ":ada"}) {
            assertThat(MemberId.parse(bad)).as(bad).isEmpty();
        }
        assertThat(MemberId.parse(null)).isEmpty();
    }

    @Test
    void mediaTypeWhenJsonInUtf8ThenAcceptedOtherwiseNot() {
        assertThat(TasksEndpoints.isJson("application/json")).isTrue();
        assertThat(TasksEndpoints.isJson("Application/JSON; charset=UTF-8")).isTrue();
        assertThat(TasksEndpoints.isJson("application/json; charset=\"utf-8\"")).isTrue();
        assertThat(TasksEndpoints.isJson("application/json; charset=iso-8859-1")).isFalse();
        assertThat(TasksEndpoints.isJson("text/plain")).isFalse();
        assertThat(TasksEndpoints.isJson("application/x-www-form-urlencoded")).isFalse();
        assertThat(TasksEndpoints.isJson(null)).isFalse();
    }

    @Test
    void pathIdsWhenNotCanonicalUuidsThenNotIds() {
        assertThat(TaskId.parse("f547650f-b459-4824-b60d-5b03f24f23a8")).map(TaskId::toString).contains("f547650f-b459-4824-b60d-5b03f24f23a8");
        assertThat(TaskId.parse("F547650F-B459-4824-B60D-5B03F24F23A8")).isEmpty();
        assertThat(ProjectId.parse("1")).isEmpty();
        assertThat(ProjectId.parse("f547650f-b459-4824-b60d-5b03f24f23a8/..")).isEqualTo(Optional.empty());
    }
}

package dev.countersign.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Label values stay within bounded words: ids, URLs and free text become "other". */
class LabelsTest {

    @Test
    void slackMethodNamesPassAndAnythingElseIsOther() {
        assertThat(Labels.method("views.open")).isEqualTo("views.open");
        assertThat(Labels.method("chat.postMessage")).isEqualTo("chat.postMessage");
        assertThat(Labels.method("usergroups.users.list")).isEqualTo("usergroups.users.list");
        assertThat(Labels.method("response_url")).isEqualTo("response_url");
        assertThat(Labels.method("https://hooks.slack.com/actions/T0/1/x")).isEqualTo("other");
        assertThat(Labels.method(null)).isEqualTo("other");
    }

    @Test
    void slackErrorCodesPassAndAnythingElseIsOther() {
        assertThat(Labels.error("expired_trigger_id")).isEqualTo("expired_trigger_id");
        assertThat(Labels.error("http_503")).isEqualTo("http_503");
        assertThat(Labels.error("U024BE7LH not found")).isEqualTo("other");
        assertThat(Labels.error("+12015550123")).isEqualTo("other");
    }
}

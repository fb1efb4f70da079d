package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewTitle;
import dev.countersign.testing.FakeSlackApi;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link SlackGateway} tells its {@link SlackCalls}: each call by Slack's method name (a
 * {@code response_url} by that word alone, never its address), how long it took, Slack's error;
 * and a trigger too old to try.
 */
class SlackCallsTest {

    /** One call as heard. */
    private record Heard(String method, long nanos, String error) {
    }

    private final List<Heard> heard = new CopyOnWriteArrayList<>();
    private final List<String> tooOld = new CopyOnWriteArrayList<>();
    private final SlackCalls calls = new SlackCalls() {
        @Override
        public void answered(String method, long nanos, String error) {
            heard.add(new Heard(method, nanos, error));
        }

        @Override
        public void triggerTooOld() {
            tooOld.add("too old");
        }
    };
    private FakeSlackApi slack;
    private SlackGateway gateway;

    @BeforeEach
    void start() {
        slack = FakeSlackApi.start();
        gateway = new SlackGateway(new OkHttpClient(), slack.apiUrl(), "xoxb-test-calls",
                Duration.ZERO, calls);
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    @Test
    void eachCallIsHeardByMethodWithItsDurationAndSlacksError() {
        slack.failNext("views.open", "expired_trigger_id", 1);

        gateway.openModal("1.2.3", modal());
        gateway.openModal("1.2.4", modal());

        assertThat(heard).extracting(Heard::method).containsExactly("views.open", "views.open");
        assertThat(heard).extracting(Heard::error).containsExactly("expired_trigger_id", null);
        assertThat(heard).allSatisfy(call -> assertThat(call.nanos()).isPositive());
    }

    @Test
    void aResponseUrlIsHeardAsResponseUrlNeverByItsAddress() {
        gateway.respond(slack.responseUrl("T0CSTEAM01/123/secret-token"), false, "hi", null);

        assertThat(heard).extracting(Heard::method).containsExactly("response_url");
    }

    @Test
    void aTriggerTooOldToTryIsHeardAndNothingIsCalled() {
        Trigger old = new Trigger("1.2.5", System.nanoTime() - Duration.ofSeconds(3).toNanos());

        boolean usable = gateway.stillUsable(old);

        assertThat(usable).isFalse();
        assertThat(tooOld).hasSize(1);
        assertThat(gateway.stillUsable(Trigger.receivedNow("1.2.6"))).isTrue();
        assertThat(tooOld).hasSize(1);
        assertThat(heard).isEmpty();
    }

    private static View modal() {
        return View.builder().type("modal").title(ViewTitle.builder().type("plain_text")
                .text("Countersign").build()).blocks(List.of()).build();
    }
}

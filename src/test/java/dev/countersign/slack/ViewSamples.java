package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.util.json.GsonFactory;
import dev.countersign.approval.Action;
import dev.countersign.approval.ActionDigest;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ChallengePurpose;
import dev.countersign.approval.ChallengeState;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.CurrencyCode;
import dev.countersign.approval.Money;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestStatus;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.people.Actor;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Requests, codes and JSON readers shared by the view tests: values built directly, views read the
 * way Slack receives them (serialized with the Slack SDK's own Gson).
 */
final class ViewSamples {

    /** What a hostile requester types as a payee, memo, document, reason: it must read as typed. */
    static final String HOSTILE = "<!channel> *bold* <https://evil.example|click>";
    static final Actor ALICE = new Actor("T0ACME", "U0ALICE");
    static final String BOB = "U0BOB";
    static final String REQUEST_ID = "req_01HZX4Q7";
    static final String REFERENCE = "CS-7K3P9Q";
    static final String FULL_PHONE = "+12015550123";
    static final Instant CREATED = Instant.parse("2025-06-02T09:00:00Z");
    static final Instant EXPIRES = CREATED.plus(Duration.ofMinutes(5));
    /** Slack's limit for a modal's title, submit and close labels. */
    static final int MAX_MODAL_LABEL = 24;

    private static final Gson SLACK_GSON = GsonFactory.createSnakeCase();
    /** Anything that would ping a channel or show a link under another name. */
    private static final Pattern LIVE_CONTROL = Pattern.compile(
            "<(!channel|!here|!everyone|https?:)");

    private ViewSamples() {
    }

    static Action payment(String amount, String currency, String payee, String memo) {
        return new Action.Payment(new Money(new BigDecimal(amount),
                CurrencyCode.of(currency).orElseThrow()), payee, memo);
    }

    static ApprovalRequest request(Action action, RequestStatus status) {
        return new ApprovalRequest(REQUEST_ID, REFERENCE, ALICE, action,
                ActionDigest.of(REQUEST_ID, ALICE, action, CREATED), status, null,
                ReplyTo.NOWHERE, CREATED, EXPIRES, null, null);
    }

    static ApprovalRequest decided(Action action, RequestStatus status, String detail) {
        return request(action, RequestStatus.AWAITING_CODE)
                .withStatus(status, CREATED.plusSeconds(90), BOB, detail);
    }

    static CodeChallenge challenge(ChallengePurpose purpose, DeliveryChannel channel) {
        Actor verifier = purpose == ChallengePurpose.SECOND_APPROVER ? new Actor("T0ACME", BOB)
                : ALICE;
        return new CodeChallenge(7, REQUEST_ID, verifier, purpose, channel, "0123",
                "sw-challenge-1", ChallengeState.SENT, 0, 3, CREATED, EXPIRES);
    }

    /** The object as Slack receives it. */
    static JsonObject json(Object model) {
        return JsonParser.parseString(SLACK_GSON.toJson(model)).getAsJsonObject();
    }

    /** The message as {@code chat.postMessage} would send it: fallback text and blocks. */
    static JsonObject json(Messages.Message message) {
        return JsonParser.parseString(SLACK_GSON.toJson(Map.of("text", message.text(),
                "blocks", message.blocks()))).getAsJsonObject();
    }

    /** Every {@code text} of a text object of this type ({@code mrkdwn}, {@code plain_text}). */
    static List<String> texts(JsonElement json, String type) {
        List<String> found = new ArrayList<>();
        collect(json, type, found);
        return found;
    }

    /** Every string Slack renders as mrkdwn: mrkdwn text objects and a message's fallback text. */
    static List<String> mrkdwn(JsonObject json) {
        List<String> found = texts(json, "mrkdwn");
        if (json.has("text") && json.get("text").isJsonPrimitive()) {
            found.add(json.get("text").getAsString());
        }
        return found;
    }

    /**
     * What a person reads in mrkdwn that has no formatting left: the three entities decoded and
     * the invisible zero-width spaces that keep formatting characters inert removed.
     */
    static String shown(String mrkdwn) {
        return mrkdwn.replace("\u200B", "").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    /**
     * The hostile text reaches people as typed wherever it appears, and nothing in it is live: no
     * channel ping, no disguised link, no bold, in any mrkdwn string (fallback text included).
     */
    static void assertHostileTextInert(JsonObject json) {
        List<String> mrkdwn = mrkdwn(json);
        List<String> plain = texts(json, "plain_text");
        assertThat(mrkdwn).allSatisfy(text -> assertThat(text)
                .doesNotContainPattern(LIVE_CONTROL).doesNotContain("*bold*"));
        assertThat(mrkdwn).filteredOn(text -> text.contains("evil.example"))
                .allSatisfy(text -> assertThat(shown(text)).contains(HOSTILE));
        assertThat(plain).filteredOn(text -> text.contains("evil.example"))
                .allSatisfy(text -> assertThat(text).contains(HOSTILE));
        assertThat(plain.stream().anyMatch(text -> text.contains(HOSTILE))
                || mrkdwn.stream().anyMatch(text -> shown(text).contains(HOSTILE)))
                .as("the hostile text is shown somewhere").isTrue();
    }

    /** The block with this id; fails the test when there is none. */
    static JsonObject block(JsonObject view, String blockId) {
        for (JsonElement block : view.getAsJsonArray("blocks")) {
            JsonObject object = block.getAsJsonObject();
            if (object.has("block_id") && blockId.equals(object.get("block_id").getAsString())) {
                return object;
            }
        }
        throw new AssertionError("no block " + blockId + " in " + view);
    }

    private static void collect(JsonElement json, String type, List<String> found) {
        if (json.isJsonArray()) {
            json.getAsJsonArray().forEach(element -> collect(element, type, found));
        } else if (json.isJsonObject()) {
            JsonObject object = json.getAsJsonObject();
            if (object.has("type") && type.equals(object.get("type").getAsString())
                    && object.has("text") && object.get("text").isJsonPrimitive()) {
                found.add(object.get("text").getAsString());
            }
            object.entrySet().forEach(entry -> collect(entry.getValue(), type, found));
        }
    }
}

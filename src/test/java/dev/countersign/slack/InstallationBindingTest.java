package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.request.SocketModeRequest;
import com.slack.api.bolt.socket_mode.request.SocketModeRequestParser;
import dev.countersign.config.SettingsException;
import dev.countersign.testing.AppPerClass;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.SlackClient.Origin;
import dev.countersign.testing.TestApp;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Requests signed with the right secret but naming another app, workspace or Enterprise Grid org
 * than the one Countersign is installed in (a workspace install here): refused in front of every
 * listener, with nothing stored and nothing sent to Slack or SignalWire.
 */
class InstallationBindingTest extends AppPerClass {

    static final String USER = "U0BOUND001";
    static final Origin FOREIGN_APP = new Origin("A0OTHERAPP", FakeSlackApi.TEAM, null);
    static final Origin FOREIGN_TEAM = Origin.INSTALLED.inTeam("T0OTHERWS1");
    static final Origin FOREIGN_ORG = new Origin(FakeSlackApi.APP, FakeSlackApi.TEAM,
            "E0FOREIGN1");

    @BeforeAll
    static void enrollTheUser() {
        app.enroll(USER, TestApp.PHONE);
    }

    @Test
    void theInstallationIsReadOnceAtStartUpNeverOnARequest() {
        // Start-up asks auth.test twice: once to check the token before the database exists,
        // once as the installation's answer. Neither is asked again while requests come in.
        int atStart = app.slack.calls("auth.test").size();
        assertThat(atStart).isBetween(1, 2);

        TestApp.Pending pending = app.request("pay 120 USD to Umbrella", USER);
        // Its modal shows the code once sent; waited for so later tests count only their own.
        app.slack.await("views.update", call -> pending.viewId().equals(call.params()
                .get("view_id")), TestApp.WAIT);

        assertThat(app.slack.calls("auth.test")).hasSize(atStart);
        assertThat(app.slack.calls("bots.info")).singleElement()
                .satisfies(call -> assertThat(call.params()).containsEntry("bot", "B0CSBOT001"));
    }

    @Test
    void startUpStopsNamingTheScopeToAddWhenSlackWillNotNameTheApp(@TempDir Path other) {
        FakeSlackApi slack = FakeSlackApi.start().failNext("bots.info", "missing_scope", 1);
        try {
            assertThatThrownBy(() -> TestApp.start(other, Map.of(), slack))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("SLACK_BOT_TOKEN").hasMessageContaining("users:read");
        } finally {
            slack.close();
        }
    }

    @Test
    void aCommandFromAnotherAppIsRefusedWithNothingStoredOrSent() {
        assertCommandRefused(FOREIGN_APP, "pay 2500 USD to Acme Corp");
    }

    @Test
    void aCommandFromAnotherWorkspaceIsRefusedWithNothingStoredOrSent() {
        assertCommandRefused(FOREIGN_TEAM, "pay 2500 USD to Acme Corp");
        assertCommandRefused(FOREIGN_TEAM, "enroll +12015550999");
    }

    @Test
    void aCommandNamingAnotherEnterpriseIsRefusedWithNothingStoredOrSent() {
        assertCommandRefused(FOREIGN_ORG, "pay 2500 USD to Acme Corp");
    }

    @Test
    void aCodeSubmittedFromAnotherWorkspaceChecksNothingAndLeavesTheRequestOpen() {
        TestApp.Pending pending = app.request("pay 300 USD to Globex", USER);
        Map<String, String> before = rows();
        int verifiesBefore = app.signalWire.verifies().size();

        SlackClient.Reply foreign = app.client.from(FOREIGN_TEAM).submitCode(pending.viewId(),
                pending.requestId(), USER, FakeSignalWire.DEFAULT_CODE);
        SlackClient.Reply otherApp = app.client.from(FOREIGN_APP).submitCode(pending.viewId(),
                pending.requestId(), USER, FakeSignalWire.DEFAULT_CODE);

        assertThat(List.of(foreign, otherApp)).allSatisfy(reply -> {
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).doesNotContain("Approved").contains("errors");
        });
        assertThat(app.signalWire.verifies()).hasSize(verifiesBefore);
        assertThat(rows()).isEqualTo(before);
        SlackClient.Reply own = app.client.submitCode(pending.viewId(), pending.requestId(), USER,
                FakeSignalWire.DEFAULT_CODE);
        assertThat(own.body()).contains("*Approved.*");
        // The result is posted after the answer: waited for here, so that no later test counts
        // it as something its own refused request sent.
        app.slack.await("response_url", call -> call.text().contains("Globex"), TestApp.WAIT);
    }

    @Test
    void anEventFromAnotherAppIsOnlyAcknowledged() {
        int publishedBefore = app.slack.calls("views.publish").size();

        SlackClient.Reply foreign = app.client.from(FOREIGN_APP).event(homeOpened("U0HOMEFOR1"));
        SlackClient.Reply own = app.client.event(homeOpened("U0HOMEOWN1"));

        assertThat(foreign.status()).isEqualTo(200);
        assertThat(own.status()).isEqualTo(200);
        app.slack.await("views.publish", call -> "U0HOMEOWN1".equals(call.params()
                .get("user_id")), TestApp.WAIT);
        assertThat(app.slack.calls("views.publish").subList(publishedBefore,
                app.slack.calls("views.publish").size()))
                .noneMatch(call -> "U0HOMEFOR1".equals(call.params().get("user_id")));
    }

    @Test
    void aButtonFromAnotherWorkspaceChangesNothing() {
        TestApp.Pending pending = app.request("pay 200 USD to Initech", USER);
        Map<String, String> before = rows();
        int startsBefore = app.signalWire.starts().size();
        // A refused button is answered 200 like any other, and a resend's work comes after the
        // ack (and would meet the resend cool-down anyway): what shows the button went no
        // further is the guard's refusal, heard as it happens.
        Logger guard = (Logger) LoggerFactory.getLogger(InstallationGuard.class);
        ListAppender<ILoggingEvent> refusals = new ListAppender<>();
        refusals.start();
        guard.addAppender(refusals);
        SlackClient.Reply resend;
        SlackClient.Reply closed;
        try {
            resend = app.client.from(FOREIGN_TEAM).modalButton(pending.viewId(),
                    pending.requestId(), USER, CodeModal.RESEND_CALL);
            closed = app.client.from(FOREIGN_TEAM).closeView(pending.viewId(),
                    pending.requestId(), USER);
        } finally {
            guard.detachAppender(refusals);
        }

        assertThat(refusals.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).startsWith("refused a BlockAction request"))
                .anySatisfy(line -> assertThat(line).startsWith("refused a ViewClosed request"));
        assertThat(resend.status()).isEqualTo(200);
        assertThat(closed.status()).isEqualTo(200);
        assertThat(app.signalWire.starts()).hasSize(startsBefore);
        assertThat(rows()).isEqualTo(before);
        assertThat(app.client.command("status", USER).body()).contains("Initech");
    }

    @Test
    void aSocketModeEnvelopeFromAnotherWorkspaceIsRefusedLikeAnHttpRequest() throws Exception {
        Map<String, String> before = rows();
        int slackCallsBefore = app.slack.calls().size();
        App bolt = app.app.slackBolt();
        ObjectNode command = JsonNodeFactory.instance.objectNode()
                .put("token", "legacy-verification-token").put("team_id", "T0OTHERWS1")
                .put("team_domain", "other").put("channel_id", "C0FINANCE1")
                .put("user_id", USER).put("command", "/approve")
                .put("text", "pay 2500 USD to Acme Corp").put("api_app_id", FakeSlackApi.APP)
                .put("is_enterprise_install", "false")
                .put("response_url", app.slack.responseUrl("socket"))
                .put("trigger_id", "1.2.3");
        ObjectNode envelope = JsonNodeFactory.instance.objectNode()
                .put("envelope_id", "e-socket-1").put("type", "slash_commands")
                .put("accepts_response_payload", true);
        envelope.set("payload", command);

        SocketModeRequest request = new SocketModeRequestParser(bolt.config())
                .parse(envelope.toString());
        Response response = bolt.run(request.getBoltRequest());

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).contains("ephemeral").contains("not installed for");
        assertThat(rows()).isEqualTo(before);
        assertThat(app.slack.calls()).hasSize(slackCallsBefore);
    }

    private static void assertCommandRefused(Origin from, String text) {
        Map<String, String> before = rows();
        int slackCallsBefore = app.slack.calls().size();
        int startsBefore = app.signalWire.starts().size();

        SlackClient.Reply reply = app.client.from(from).command(text, USER);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(reply.json().path("text").asText()).contains("not installed for");
        assertThat(rows()).as("nothing stored").isEqualTo(before);
        assertThat(app.signalWire.starts()).as("no code sent").hasSize(startsBefore);
        assertThat(app.slack.calls()).as("nothing sent to Slack").hasSize(slackCallsBefore);
    }

    private static ObjectNode homeOpened(String user) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", "app_home_opened").put("user", user).put("channel", "D0HOME0001")
                .put("tab", "home").put("event_ts", "1700000000.000100");
        return event;
    }

    /**
     * Every table a request, an enrollment or a code writes to: its row count, and for requests
     * and challenges their states too (a refused request must not move one).
     */
    private static Map<String, String> rows() {
        Map<String, String> tables = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(app.env.get("DATABASE_URL"));
             Statement statement = connection.createStatement()) {
            for (String table : List.of("requests", "enrollments", "challenges", "audit_events",
                    "slack_modals", "failed_codes", "team_code_counts")) {
                String states = switch (table) {
                    case "requests" -> "group_concat(status)";
                    case "challenges" -> "group_concat(state || attempts)";
                    default -> "''";
                };
                try (ResultSet result = statement.executeQuery("SELECT COUNT(*) || ' ' || "
                        + "COALESCE(" + states + ", '') FROM " + table)) {
                    result.next();
                    tables.put(table, result.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return tables;
    }
}

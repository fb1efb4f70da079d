package dev.countersign.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.model.event.AppHomeOpenedEvent;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.Approvals;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.config.Settings;
import dev.countersign.enrollment.PhonePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Countersign's Bolt app: every listener wired to the domain, plus the background pools and the
 * expiry sweeper. The same {@link App} serves HTTP (through the servlet) and Socket Mode.
 */
public final class SlackApp implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SlackApp.class);

    /**
     * How long a code check may take before the modal says "Checking…". Slack allows 3 s; 2.3 s
     * leaves room for the answer's own trip while letting a provider that answers in 2 s (common
     * for SMS APIs under load) settle the check in one answer instead of two modal updates.
     */
    static final Duration CHECK_DEADLINE = Duration.ofMillis(2300);

    private final App bolt;
    private final Approvals approvals;
    private final CodeFlow codeFlow;
    private final Background background;
    private final ExpirySweeper sweeper;
    private final Notifier notifier;
    private final ApprovalsChannel dualControl;

    private SlackApp(App bolt, Approvals approvals, CodeFlow codeFlow, Background background,
                     ExpirySweeper sweeper, Notifier notifier, ApprovalsChannel dualControl) {
        this.bolt = bolt;
        this.approvals = approvals;
        this.codeFlow = codeFlow;
        this.background = background;
        this.sweeper = sweeper;
        this.notifier = notifier;
        this.dualControl = dualControl;
    }

    /**
     * @param afterApproval runs after each approval has been committed (wakes the webhook
     *                      dispatcher so the action goes out at once)
     */
    public static SlackApp create(Settings settings, SlackConnection connection,
            Approvals approvals,
                                  Clock clock, Runnable afterApproval) {
        boolean trial = settings.otpProvider() == Settings.OtpProvider.CONSOLE;
        SlackGateway gateway = connection.gateway();
        // Sized for 100 approvals/s with Slack answering in 300 ms and SignalWire in 2 s
        // (BENCHMARKS.md).
        Background background = new Background(64, 256, 512);
        Notifier notifier = new Notifier(gateway, clock);
        CodeFlow codeFlow = new CodeFlow(approvals, gateway, background, notifier, clock, trial);
        ApprovalsChannel dualControl = new ApprovalsChannel(approvals, gateway,
                settings.dualControl().approvalsChannel());
        CodeCheckAnswers outcomes = new CodeCheckAnswers(codeFlow, notifier, dualControl, trial,
                afterApproval);
        HomeTab home = new HomeTab(approvals, gateway);

        ApproveCommand command = new ApproveCommand(approvals,
                new PhonePolicy(settings.allowedCountries()),
                codeFlow, background, gateway, notifier, dualControl);
        CodeSubmission submission = new CodeSubmission(approvals, background, outcomes, codeFlow,
                CHECK_DEADLINE);
        CodeModalActions modalActions = new CodeModalActions(approvals, codeFlow, background,
                notifier,
                dualControl);
        RequestFormSubmission form = new RequestFormSubmission(approvals, codeFlow, background,
                trial);
        SecondApprovalActions second = new SecondApprovalActions(approvals, codeFlow, background,
                gateway, notifier, dualControl, home);
        HomeActions homeActions = new HomeActions(approvals, home, codeFlow, dualControl,
                background);

        AppConfig config = AppConfig.builder()
                .singleTeamBotToken(settings.slack().botToken())
                .signingSecret(settings.slack().signingSecret())
                .slack(connection.slack())
                // One auth.test at start-up; never again on the path that must answer in 3 s.
                .authTestCacheExpirationMillis(-1)
                .build();
        App bolt = new App(config);
        bolt.use(new SlackRequestGuard(clock));
        // Any command name: operators may install it as /approve or rename it.
        bolt.command(Pattern.compile("^/.+$"), command::handle);
        bolt.viewSubmission(CodeModal.CALLBACK_ID, submission::handle);
        bolt.viewClosed(CodeModal.CALLBACK_ID, modalActions::closed);
        bolt.blockAction(CodeModal.RESEND_SMS, modalActions::resendBySms);
        bolt.blockAction(CodeModal.RESEND_CALL, modalActions::resendByCall);
        bolt.viewSubmission(RequestForm.CALLBACK_ID, form::handle);
        bolt.blockAction(ApprovalsChannelMessage.APPROVE, second::approve);
        bolt.blockAction(ApprovalsChannelMessage.REJECT, second::reject);
        bolt.viewSubmission(RejectModal.CALLBACK_ID, second::rejectReason);
        bolt.blockAction(HomeTab.CANCEL, homeActions::cancel);
        bolt.event(AppHomeOpenedEvent.class, homeActions::opened);

        ExpirySweeper sweeper = new ExpirySweeper(approvals, codeFlow, notifier, dualControl);
        return new SlackApp(bolt, approvals, codeFlow, background, sweeper, notifier, dualControl);
    }

    /** Checks the bot token with Slack (auth.test) and readies the listeners. */
    public SlackApp start(Duration sweepEvery) {
        bolt.start();
        sweeper.start(sweepEvery);
        return this;
    }

    /**
     * Finishes what a stop cut short: codes recorded but never sent go out now if their modal is
     * open (it still says "Sending…"); requests whose modal never opened end, and their requester
     * is told to ask again.
     */
    public void resumeAfterRestart() {
        for (CodeChallenge challenge : approvals.delivery().unsent()) {
            if (challenge.viewId() != null) {
                log.info("sending code {} that a restart interrupted", challenge.id());
                codeFlow.send(challenge.viewId(), challenge.id());
            } else {
                approvals.delivery().abandon(challenge.id(), "interrupted by a restart")
                        .ifPresent(request -> background.slack(() -> notifier.toRequester(request,
                                Messages.plain(":x: Countersign restarted before your approval "
                                        + "window for " + request.reference() + " opened. Nothing "
                                        + "was sent or approved; please run the command again."))));
            }
        }
    }

    public App bolt() {
        return bolt;
    }

    public ExpirySweeper sweeper() {
        return sweeper;
    }

    /**
     * Tells the requester, and each admin, that an approved action could not be delivered to the
     * webhook: someone must carry it out by hand.
     */
    public void webhookGaveUp(ApprovalRequest request, String error, java.util.Set<String> admins) {
        background.slack(() -> {
            Messages.Message message = Messages.plain(":rotating_light: Request "
                    + request.reference() + " (" + ActionDetails.summary(request)
                            + ") was approved, "
                    + "but Countersign could not deliver it to the approval webhook for 24 hours ("
                    + Mrkdwn.escape(error) + "). It has NOT been carried out automatically: "
                    + "please handle it by hand.");
            notifier.dm(request.requester().userId(), message);
            admins.forEach(admin -> notifier.dm(admin, message));
        });
    }

    @Override
    public void close() {
        sweeper.close();
        background.close();
        try {
            bolt.stop();
        } catch (Exception e) {
            // stopping is best effort at shutdown
        }
    }
}

package dev.countersign.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.builtin.IgnoringSelfEvents;
import com.slack.api.bolt.middleware.builtin.SSLCheck;
import com.slack.api.bolt.middleware.builtin.SingleTeamAuthorization;
import com.slack.api.model.event.AppHomeOpenedEvent;
import dev.countersign.api.PersonSide;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ApprovalServices;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.CodeDelivery;
import dev.countersign.approval.JobClaims;
import dev.countersign.approval.StatusReports;
import dev.countersign.config.Settings;
import dev.countersign.enrollment.PhonePolicy;
import dev.countersign.people.Installation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Countersign's Bolt app: every listener wired to the domain services it uses, plus the work after
 * the acknowledgement and the expiry sweeper. The same {@link App} serves HTTP (through the servlet) and Socket Mode.
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
    private final CodeDelivery delivery;
    private final CodeFlow codeFlow;
    private final AfterAck afterAck;
    private final ExpirySweeper sweeper;
    private final Notifier notifier;
    private final SlackSurfaces surfaces;
    private final Admission admission;
    private final Announcements announcements;
    private final ReviewMessages reviews;
    private final PersonSide personSide;
    private final WorkflowStep workflowStep;

    private SlackApp(App bolt, CodeDelivery delivery, CodeFlow codeFlow, AfterAck afterAck,
                     ExpirySweeper sweeper, Notifier notifier, SlackSurfaces surfaces,
                     Admission admission, Announcements announcements, ReviewMessages reviews, PersonSide personSide,
                     WorkflowStep workflowStep) {
        this.bolt = bolt;
        this.delivery = delivery;
        this.codeFlow = codeFlow;
        this.afterAck = afterAck;
        this.sweeper = sweeper;
        this.notifier = notifier;
        this.surfaces = surfaces;
        this.admission = admission;
        this.announcements = announcements;
        this.reviews = reviews;
        this.personSide = personSide;
        this.workflowStep = workflowStep;
    }

    /**
     * @param surfaces      where the modals and approvals-channel messages of requests are kept
     * @param afterApproval runs after each approval has been committed (wakes the webhook
     *                      dispatcher so the action goes out at once)
     */
    public static SlackApp create(Settings settings, SlackConnection connection,
                                  ApprovalServices services, SlackSurfaces surfaces,
                                  StepCompletions stepCompletions, Clock clock,
                                  Runnable afterApproval) {
        boolean trial = settings.otpProvider() == Settings.OtpProvider.CONSOLE;
        // Where the token is installed: read once, before any listener can run.
        SlackInstallation installed = SlackInstallation.read(connection.slack(),
                settings.slack().botToken());
        Installation installation = installed.installation();
        log.info("installed as app {} in {} {}", installation.appId(),
                installation.orgWide() ? "org" : "workspace", installation.id());

        SlackGateway gateway = connection.gateway();
        AfterAck afterAck = new AfterAck();
        Notifier notifier = new Notifier(gateway, clock);
        Modals modals = new Modals(gateway, surfaces, clock);
        StatusReports requests = services.statusReports();
        Admission admission = new Admission(
                () -> gateway.nearCapacity() || services.delivery().providerNearCapacity());
        admission.watch(afterAck);
        ApprovalsChannel approvalsChannel = new ApprovalsChannel(gateway, surfaces, requests,
                settings.dualControl().approvalsChannel());
        ReviewMessages reviews = new ReviewMessages(gateway, surfaces, services.external());
        WorkflowStep workflowStep = new WorkflowStep(installation, services.external(), reviews,
                requests, services.delivery(), stepCompletions, gateway, afterAck, clock);
        Announcements announcements = new Announcements(services.followUps(),
                new SlackNotices(modals, approvalsChannel, notifier, reviews, workflowStep));
        CodeFlow codeFlow = new CodeFlow(services.delivery(), requests, modals, afterAck,
                notifier, announcements, admission, clock, trial);
        CodeCheckAnswers answers = new CodeCheckAnswers(codeFlow, notifier, announcements, trial,
                afterApproval, settings.adminUserIds());
        HomeTab home = new HomeTab(requests, gateway);

        ApproveCommand command = new ApproveCommand(installation, services.opening(),
                services.cancellation(), requests, services.phones(),
                new PhonePolicy(settings.allowedCountries()), codeFlow,
                new RequestForms(gateway, afterAck), announcements, afterAck, notifier, admission);
        CodeSubmission submission = new CodeSubmission(installation, services.verification(),
                requests, afterAck, answers, codeFlow, modals, CHECK_DEADLINE);
        CodeModalActions modalActions = new CodeModalActions(installation, services.cancellation(),
                codeFlow, modals, afterAck, announcements);
        RequestFormSubmission form = new RequestFormSubmission(installation, services.opening(),
                codeFlow, modals, afterAck, trial);
        SecondApprovalActions second = new SecondApprovalActions(installation,
                services.secondApproval(), requests, codeFlow, gateway, notifier, announcements,
                home, afterAck);
        HomeActions homeActions = new HomeActions(installation, services.cancellation(), home,
                announcements, afterAck);
        ReviewButton reviewButton = new ReviewButton(installation, requests, codeFlow, reviews,
                gateway, afterAck);
        ApiPersonSide personSide = new ApiPersonSide(installation, gateway, reviews, requests,
                services.delivery(), announcements, afterAck);

        AppConfig config = AppConfig.builder()
                .singleTeamBotToken(settings.slack().botToken())
                .signingSecret(settings.slack().signingSecret())
                .slack(connection.slack())
                // One auth.test at start-up; never again on the path that must answer in 3 s.
                .authTestCacheExpirationMillis(-1)
                // The signature was checked once already, in front of Bolt and in constant time
                // (SlackSignatureCheck, in the servlet); Socket Mode requests carry none.
                .requestVerificationEnabled(false)
                .build();
        App bolt = new App(config, middleware(config, installed)).asOAuthApp(false);
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
        bolt.blockAction(ReviewMessage.REVIEW, reviewButton::pressed);
        bolt.function(WorkflowStep.CALLBACK_ID, workflowStep::executed);

        ExpirySweeper sweeper = new ExpirySweeper(services.expiry(), announcements,
                workflowStep::retryPending);
        return new SlackApp(bolt, services.delivery(), codeFlow, afterAck, sweeper, notifier,
                surfaces, admission, announcements, reviews, personSide, workflowStep);
    }

    /**
     * Bolt's own middleware as it would build it, but with the auth.test answer already read
     * (Bolt would call auth.test a second time), then the guards: no listener runs for another
     * installation, and none answers Slack with a 5xx.
     */
    private static List<Middleware> middleware(AppConfig config, SlackInstallation installed) {
        List<Middleware> middleware = new ArrayList<>();
        if (config.isSslCheckEnabled()) {
            middleware.add(new SSLCheck(config.getVerificationToken()));
        }
        middleware.add(new SingleTeamAuthorization(config, installed.authTest(), null));
        if (config.isIgnoringSelfEventsEnabled()) {
            middleware.add(new IgnoringSelfEvents(config.getSlack().getConfig()));
        }
        middleware.add(new SlackRequestGuard());
        middleware.add(new InstallationGuard(installed.installation()));
        return middleware;
    }

    /**
     * Readies the listeners and starts the expiry sweeper, sweeping only while this instance
     * holds the sweep's claim (shared database).
     */
    public SlackApp start(Duration sweepEvery, JobClaims jobs) {
        bolt.start();
        sweeper.start(sweepEvery, jobs);
        announcements.start(jobs);
        return this;
    }

    /**
     * Finishes what a stop cut short: codes recorded but never sent go out now if their modal is
     * open (it still says "Sending…"); requests whose modal never opened end, and their requester
     * is told to ask again. Only codes recorded before {@code recordedBefore}: on a database
     * shared with other instances, younger ones may be on their way from a live instance now.
     */
    public void resumeAfterRestart(Instant recordedBefore) {
        // Workflow steps whose outcome Slack has not taken yet are completed now.
        afterAck.run(workflowStep::resume);
        for (CodeChallenge challenge : delivery.unsent()) {
            if (!challenge.createdAt().isBefore(recordedBefore)) {
                continue;
            }
            Optional<String> modal = surfaces.modalOf(challenge.requestId(),
                    challenge.verifier());
            if (modal.isPresent()) {
                log.info("sending code {} that a restart interrupted", challenge.id());
                codeFlow.send(modal.get(), challenge.id());
            } else if (reviews.waitsForReview(challenge.requestId())) {
                log.debug("request {} still waits for its person to open it",
                        challenge.requestId());
            } else {
                delivery.abandon(challenge.id(), "interrupted by a restart")
                        .ifPresent(request -> afterAck.run(() -> {
                            notifier.toRequester(request, Messages.plain(":x: Countersign "
                                    + "restarted before your approval window for "
                                    + request.reference() + " opened. Nothing was sent or "
                                    + "approved; please run the command again."));
                            announcements.deliverNow(request.id(),
                                    Announcements.Seen.BY_REQUESTER);
                        }));
            }
        }
    }

    /** The person's side of requests the REST API asks for. */
    public PersonSide personSide() {
        return personSide;
    }

    public App bolt() {
        return bolt;
    }

    /** Gives the notices due now that earlier tries left undone (the loop does it every 5 s). */
    public int redeliverNotices() {
        return announcements.redeliverDue();
    }

    public ExpirySweeper sweeper() {
        return sweeper;
    }

    @Override
    public void close() {
        // Notices under way are finished, in the loop and after each ack alike, in one wait;
        // those not yet given stay recorded for the next start.
        announcements.stop();
        sweeper.close();
        admission.close();
        afterAck.close();
        announcements.close();
        try {
            bolt.stop();
        } catch (Exception e) {
            // stopping is best effort at shutdown
        }
    }
}

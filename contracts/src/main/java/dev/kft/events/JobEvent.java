package dev.kft.events;

/** Facts on {@link Topics#JOB_EVENTS}: each step of a job's life, from every service. */
public sealed interface JobEvent extends Event
    permits JobAccepted,
        JobRejected,
        DatasetPrepared,
        TrainingStarted,
        TrainingProgress,
        TrainingFinished,
        JobFailed {}

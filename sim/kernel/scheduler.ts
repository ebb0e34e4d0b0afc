import type { Scheduler } from "effect"

/**
 * An Effect scheduler whose tasks run only when the kernel drains them,
 * synchronously, right after each heap entry. A task scheduled while the
 * kernel is not inside a step is a fiber resumed outside virtual time (by a
 * real Promise or timer); the scheduler records it so the run can fail.
 */
export class SynchronousScheduler implements Scheduler.Scheduler {
  private readonly tasks: Array<Scheduler.Task> = []
  /** True while the kernel runs a step; set by the kernel. */
  inStep = false
  /** Tasks scheduled outside a kernel step. */
  strayResumes = 0

  shouldYield(): false {
    return false
  }

  scheduleTask(task: Scheduler.Task): void {
    if (!this.inStep) this.strayResumes++
    this.tasks.push(task)
  }

  /** Runs queued tasks, and the tasks they queue, until none is left. */
  drain(): void {
    const tasks = this.tasks
    for (let index = 0; index < tasks.length; index++) tasks[index]!()
    tasks.length = 0
  }
}

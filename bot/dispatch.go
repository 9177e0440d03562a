package bot

import (
	"context"
	"sync"
	"time"
)

// dispatcher runs jobs one at a time per chat and in arrival order within
// a chat, each chat with work on a goroutine of its own, so a slow answer
// in one chat holds up only that chat and answers waiting on a language
// model do not wait for one another. At most capacity jobs are queued or
// running (so at most capacity goroutines); enqueue waits for room. What
// runs at once beyond that is bounded where the work is: retrieval by the
// engine (cores), model calls by the model client (LLM_CONCURRENCY).
type dispatcher struct {
	handle  func(ctx context.Context, in incoming)
	ctx     context.Context // jobs' parent: outlives the run's context, cancelled by stop
	stop    context.CancelFunc
	timeout time.Duration // deadline of one job

	slots   chan struct{} // one per queued or running job
	mu      sync.Mutex
	queues  map[int64][]incoming // per chat: jobs not yet started; present while the chat has a job queued or running
	pending sync.WaitGroup       // jobs queued or running
	runners sync.WaitGroup       // goroutines running a chat's jobs
}

func newDispatcher(parent context.Context, capacity int, timeout time.Duration, handle func(context.Context, incoming)) *dispatcher {
	ctx, stop := context.WithCancel(context.WithoutCancel(parent))
	return &dispatcher{
		handle: handle, ctx: ctx, stop: stop, timeout: timeout,
		slots:  make(chan struct{}, capacity),
		queues: map[int64][]incoming{},
	}
}

// enqueue queues a job for its chat, waiting for room until ctx is done.
// A nil error means the job will run.
func (d *dispatcher) enqueue(ctx context.Context, in incoming) error {
	select {
	case d.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	d.pending.Add(1)
	d.mu.Lock()
	defer d.mu.Unlock()
	q, active := d.queues[in.chatID]
	d.queues[in.chatID] = append(q, in)
	if !active {
		d.runners.Add(1)
		go d.run(in.chatID)
	}
	return nil
}

// run works through a chat's jobs in order until its queue is empty.
func (d *dispatcher) run(chat int64) {
	defer d.runners.Done()
	for {
		d.mu.Lock()
		q := d.queues[chat]
		if len(q) == 0 {
			delete(d.queues, chat)
			d.mu.Unlock()
			return
		}
		in := q[0]
		d.queues[chat] = q[1:]
		d.mu.Unlock()

		ctx, cancel := context.WithTimeout(d.ctx, d.timeout)
		d.handle(ctx, in)
		cancel()
		<-d.slots
		d.pending.Done()
	}
}

// drain waits for every queued job to finish, for at most grace; then it
// cancels the jobs left (they fall back and deliver what they have) and
// waits for at most after more. It returns how many jobs had not finished
// by then. Call it once, after the last enqueue.
func (d *dispatcher) drain(grace, after time.Duration) (left int) {
	done := make(chan struct{})
	go func() {
		d.pending.Wait()
		close(done)
	}()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		d.stop() // answers in flight give up and fall back
		t2 := time.NewTimer(after)
		defer t2.Stop()
		select {
		case <-done:
		case <-t2.C:
			return len(d.slots)
		}
	}
	d.stop()
	d.runners.Wait()
	return 0
}

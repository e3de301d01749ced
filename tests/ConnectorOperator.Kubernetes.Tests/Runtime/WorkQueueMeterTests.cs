using System.Diagnostics.Metrics;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Kubernetes.Tests.Support;

namespace ConnectorOperator.Kubernetes.Tests.Runtime;

public sealed class WorkQueueMeterTests
{
    [Fact]
    public async Task Queue_activity_is_published_as_tagged_instruments()
    {
        var name = "meter-test-" + Guid.NewGuid().ToString("N");
        var measurements = new List<(string Instrument, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == WorkQueueMeter.MeterName) l.EnableMeasurementEvents(instrument);
        };
        void Collect(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "name" && (string?)tag.Value == name)
                    lock (measurements) measurements.Add((instrument.Name, value));
            }
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Collect(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Collect(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Collect(i, v, t));
        listener.Start();

        var time = new ManualTimeProvider();
        using var meter = new WorkQueueMeter(name);
        using var queue = new WorkQueue<string>(new WorkQueueOptions { Metrics = meter }, time);
        queue.Add("a");
        queue.AddRateLimited("b");
        var key = await queue.TakeAsync();
        time.Advance(TimeSpan.FromSeconds(3));
        queue.Done(key);
        listener.RecordObservableInstruments();

        lock (measurements)
        {
            Assert.Equal(2, measurements.Where(m => m.Instrument == "workqueue.adds").Sum(m => m.Value));
            Assert.Equal(1, measurements.Count(m => m.Instrument == "workqueue.retries"));
            Assert.Equal(0, measurements.Single(m => m.Instrument == "workqueue.queue_duration").Value);
            Assert.Equal(3, measurements.Single(m => m.Instrument == "workqueue.work_duration").Value);
            Assert.Equal(1, measurements.Last(m => m.Instrument == "workqueue.depth").Value);
        }
    }
}

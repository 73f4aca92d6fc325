# Keep in touch after delivery, win-back drafts, loyalty offers (P30, P31, P34).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0010_check_in_months'),
        ('agreements', '0005_quote_packages_saved_items'),
        ('care', '0007_referrals'),
        ('clients', '0011_handover'),
        ('notifications', '0012_alert_kinds_relationship'),
        ('projects', '0011_project_delivered_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CheckIn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('kind', models.CharField(choices=[('check_in', 'Check-in after delivery'), ('win_back', 'Win back')], max_length=16, verbose_name='kind')),
                ('state', models.CharField(choices=[('scheduled', 'Scheduled'), ('ready', 'Ready to send'), ('sent', 'Sent'), ('skipped', 'Skipped'), ('cancelled', 'Cancelled')], max_length=16, verbose_name='state')),
                ('months', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='months after delivery')),
                ('delivered_at', models.DateTimeField(blank=True, null=True)),
                ('due_at', models.DateTimeField(blank=True, null=True, verbose_name='due')),
                ('drafted_at', models.DateTimeField(blank=True, null=True)),
                ('language', models.CharField(blank=True, max_length=8, verbose_name='language')),
                ('subject', models.CharField(blank=True, max_length=300, verbose_name='subject')),
                ('body', models.TextField(blank=True, verbose_name='message')),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('skipped_at', models.DateTimeField(blank=True, null=True)),
                ('skip_reason', models.CharField(blank=True, choices=[('provider', 'Skipped by the provider'), ('in_touch', 'You were in touch lately')], max_length=16, verbose_name='why skipped')),
                ('acted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='clients.client')),
                ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='clients.contact')),
                ('notification', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='notifications.notification')),
                ('project', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='projects.project')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.workspace', verbose_name='workspace')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(condition=models.Q(('state', 'scheduled')), fields=['due_at'], name='checkin_due'), models.Index(fields=['workspace', 'state', '-drafted_at'], name='checkin_ws_state'), models.Index(fields=['client', 'kind', 'state'], name='checkin_client')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('kind', 'check_in')), fields=('project', 'delivered_at', 'months'), name='checkin_once_per_delivery'), models.UniqueConstraint(condition=models.Q(('kind', 'win_back'), ('state', 'scheduled')), fields=('client',), name='winback_one_watch'), models.UniqueConstraint(condition=models.Q(('kind', 'win_back'), ('state', 'ready')), fields=('client',), name='winback_one_ready')],
            },
        ),
        migrations.CreateModel(
            name='LoyaltyOffer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('discount_percent', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='discount (%)')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                ('applied_at', models.DateTimeField(blank=True, null=True)),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='clients.client')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('quote', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='loyalty_offer', to='agreements.quote')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.workspace', verbose_name='workspace')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('quote__isnull', True)), fields=('client',), name='loyalty_one_waiting'), models.CheckConstraint(condition=models.Q(('discount_percent__isnull', True), models.Q(('discount_percent__gt', 0), ('discount_percent__lte', 100)), _connector='OR'), name='loyalty_discount_range')],
            },
        ),
    ]
